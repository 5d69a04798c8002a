"""The reference for bench/NeuralBench: TVAE and CTGAN written as SDV writes them, in PyTorch
(Debian 12's python3-torch 1.13.1), trained on the same encoded matrix the C# side wrote, with the
same hyperparameters (SDV's defaults), and timed per epoch.

Usage: python3 reference.py DIRECTORY EPOCHS THREADS
DIRECTORY holds matrix.f32 (rows x width float32, row-major) and layout.json (spans and category spans).
Prints one JSON line: the median seconds per epoch after the first, for "tvae" and "ctgan".
"""
import json
import statistics
import sys
import time

import numpy as np
import torch
from torch import nn
from torch.nn import functional


def load(directory):
    with open(f"{directory}/layout.json") as f:
        layout = json.load(f)
    data = np.fromfile(f"{directory}/matrix.f32", dtype="<f4").reshape(layout["rows"], layout["width"])
    return data, layout


# --- TVAE (SDV's ctgan.synthesizers.tvae) ---------------------------------------------------------

class Encoder(nn.Module):
    def __init__(self, data_dim, compress_dims, embedding_dim):
        super().__init__()
        dim, seq = data_dim, []
        for item in compress_dims:
            seq += [nn.Linear(dim, item), nn.ReLU()]
            dim = item
        self.seq = nn.Sequential(*seq)
        self.fc1 = nn.Linear(dim, embedding_dim)
        self.fc2 = nn.Linear(dim, embedding_dim)

    def forward(self, x):
        feature = self.seq(x)
        return self.fc1(feature), self.fc2(feature)


class Decoder(nn.Module):
    def __init__(self, embedding_dim, decompress_dims, data_dim):
        super().__init__()
        dim, seq = embedding_dim, []
        for item in decompress_dims:
            seq += [nn.Linear(dim, item), nn.ReLU()]
            dim = item
        seq.append(nn.Linear(dim, data_dim))
        self.seq = nn.Sequential(*seq)
        self.sigma = nn.Parameter(torch.ones(data_dim) * 0.1)

    def forward(self, x):
        return self.seq(x), self.sigma


def tvae_loss(recon_x, x, sigmas, mu, logvar, spans, factor):
    loss = []
    for kind, st, width in spans:
        if kind == "tanh":
            ed = st + 1
            std = sigmas[st]
            eq = x[:, st] - torch.tanh(recon_x[:, st])
            loss.append((eq ** 2 / 2 / (std ** 2)).sum())
            loss.append(torch.log(std) * x.size()[0])
        else:
            ed = st + width
            loss.append(functional.cross_entropy(recon_x[:, st:ed], torch.argmax(x[:, st:ed], dim=-1), reduction="sum"))
    kld = -0.5 * torch.sum(1 + logvar - mu ** 2 - logvar.exp())
    return sum(loss) * factor / x.size()[0], kld / x.size()[0]


def train_tvae(data, layout, epochs, batch_size=500, embedding_dim=128, dims=(128, 128), l2scale=1e-5, loss_factor=2):
    width = layout["width"]
    spans = layout["spans"]
    tensor = torch.from_numpy(data)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(tensor), batch_size=batch_size, shuffle=True, drop_last=False)
    encoder, decoder = Encoder(width, dims, embedding_dim), Decoder(embedding_dim, dims, width)
    optimizer = torch.optim.Adam(list(encoder.parameters()) + list(decoder.parameters()), weight_decay=l2scale)
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        for (real,) in loader:
            optimizer.zero_grad()
            mu, logvar = encoder(real)
            emb = torch.randn_like(mu) * torch.exp(0.5 * logvar) + mu
            rec, sigmas = decoder(emb)
            loss_1, loss_2 = tvae_loss(rec, real, sigmas, mu, logvar, spans, loss_factor)
            (loss_1 + loss_2).backward()
            optimizer.step()
            decoder.sigma.data.clamp_(0.01, 1.0)
        times.append(time.perf_counter() - start)
    return times


# --- CTGAN (SDV's ctgan.synthesizers.ctgan) -------------------------------------------------------

class Residual(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.fc, self.bn, self.relu = nn.Linear(i, o), nn.BatchNorm1d(o), nn.ReLU()

    def forward(self, x):
        return torch.cat([self.relu(self.bn(self.fc(x))), x], dim=1)


class Generator(nn.Module):
    def __init__(self, embedding_dim, generator_dim, data_dim):
        super().__init__()
        dim, seq = embedding_dim, []
        for item in generator_dim:
            seq.append(Residual(dim, item))
            dim += item
        seq.append(nn.Linear(dim, data_dim))
        self.seq = nn.Sequential(*seq)

    def forward(self, x):
        return self.seq(x)


class Discriminator(nn.Module):
    def __init__(self, input_dim, discriminator_dim, pac):
        super().__init__()
        dim = input_dim * pac
        self.pac, self.pacdim, seq = pac, dim, []
        for item in discriminator_dim:
            seq += [nn.Linear(dim, item), nn.LeakyReLU(0.2), nn.Dropout(0.5)]
            dim = item
        seq.append(nn.Linear(dim, 1))
        self.seq = nn.Sequential(*seq)

    def gradient_penalty(self, real, fake, lambda_=10):
        alpha = torch.rand(real.size(0) // self.pac, 1, 1).repeat(1, self.pac, real.size(1)).view(-1, real.size(1))
        interpolates = alpha * real + ((1 - alpha) * fake)
        disc = self(interpolates)
        gradients = torch.autograd.grad(outputs=disc, inputs=interpolates, grad_outputs=torch.ones(disc.size()), create_graph=True, retain_graph=True, only_inputs=True)[0]
        view = gradients.view(-1, self.pac * real.size(1)).norm(2, dim=1) - 1
        return (view ** 2).mean() * lambda_

    def forward(self, x):
        return self.seq(x.view(-1, self.pacdim))


class ConditionSampler:
    """CTGAN's DataSampler over the category spans: log-frequency picks, rows by category."""

    def __init__(self, data, category_spans):
        self.spans = category_spans
        self.offsets = np.cumsum([0] + [w for _, w in category_spans])[:-1]
        self.width = sum(w for _, w in category_spans)
        self.rows = []
        self.probabilities = []
        for st, w in category_spans:
            codes = np.argmax(data[:, st:st + w], axis=1)
            self.rows.append([np.nonzero(codes == j)[0] for j in range(w)])
            freq = np.log(np.bincount(codes, minlength=w) + 1)
            self.probabilities.append(freq / freq.sum())

    def sample_condvec(self, batch):
        columns = np.random.choice(len(self.spans), batch)
        cond = np.zeros((batch, self.width), dtype="float32")
        mask = np.zeros((batch, len(self.spans)), dtype="float32")
        picks = np.array([np.random.choice(len(self.probabilities[c]), p=self.probabilities[c]) for c in columns])
        cond[np.arange(batch), self.offsets[columns] + picks] = 1
        mask[np.arange(batch), columns] = 1
        return cond, mask, columns, picks

    def sample_data(self, data, columns, picks):
        return data[[np.random.choice(self.rows[c][p]) for c, p in zip(columns, picks)]]


def apply_activate(data, spans):
    out = []
    for kind, st, width in spans:
        block = data[:, st:st + width]
        out.append(torch.tanh(block) if kind == "tanh" else functional.gumbel_softmax(block, tau=0.2))
    return torch.cat(out, dim=1)


def cond_loss(data, c, m, category_spans, offsets):
    loss = []
    for (st, width), offset in zip(category_spans, offsets):
        loss.append(functional.cross_entropy(data[:, st:st + width], torch.argmax(c[:, offset:offset + width], dim=1), reduction="none"))
    loss = torch.stack(loss, dim=1)
    return (loss * m).sum() / data.size()[0]


def train_ctgan(data, layout, epochs, batch_size=500, embedding_dim=128, dims=(256, 256), pac=10):
    width, spans = layout["width"], layout["spans"]
    sampler = ConditionSampler(data, layout["category_spans"])
    generator = Generator(embedding_dim + sampler.width, dims, width)
    discriminator = Discriminator(width + sampler.width, dims, pac)
    optimizer_g = torch.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.9), weight_decay=1e-6)
    optimizer_d = torch.optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.5, 0.9), weight_decay=1e-6)
    mean, std = torch.zeros(batch_size, embedding_dim), torch.ones(batch_size, embedding_dim)
    steps = max(len(data) // batch_size, 1)
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        for _ in range(steps):
            fakez = torch.normal(mean=mean, std=std)
            c1, m1, col, opt = sampler.sample_condvec(batch_size)
            c1 = torch.from_numpy(c1)
            fakez = torch.cat([fakez, c1], dim=1)
            perm = np.arange(batch_size)
            np.random.shuffle(perm)
            real = torch.from_numpy(sampler.sample_data(data, col[perm], opt[perm]))
            c2 = c1[perm]
            fakeact = apply_activate(generator(fakez), spans)
            fake_cat, real_cat = torch.cat([fakeact, c1], dim=1), torch.cat([real, c2], dim=1)
            y_fake, y_real = discriminator(fake_cat), discriminator(real_cat)
            pen = discriminator.gradient_penalty(real_cat, fake_cat)
            loss_d = -(torch.mean(y_real) - torch.mean(y_fake))
            optimizer_d.zero_grad(set_to_none=False)
            pen.backward(retain_graph=True)
            loss_d.backward()
            optimizer_d.step()

            fakez = torch.normal(mean=mean, std=std)
            c1, m1, col, opt = sampler.sample_condvec(batch_size)
            c1, m1 = torch.from_numpy(c1), torch.from_numpy(m1)
            fakez = torch.cat([fakez, c1], dim=1)
            fake = generator(fakez)
            fakeact = apply_activate(fake, spans)
            y_fake = discriminator(torch.cat([fakeact, c1], dim=1))
            loss_g = -torch.mean(y_fake) + cond_loss(fake, c1, m1, sampler.spans, sampler.offsets)
            optimizer_g.zero_grad(set_to_none=False)
            loss_g.backward()
            optimizer_g.step()
        times.append(time.perf_counter() - start)
    return times


def median_after_first(times):
    return statistics.median(times[1:]) if len(times) > 1 else times[0]


if __name__ == "__main__":
    directory, epochs, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    np.random.seed(1)
    data, layout = load(directory)
    tvae = train_tvae(data, layout, epochs)
    ctgan = train_ctgan(data, layout, epochs)
    print(json.dumps({"tvae": median_after_first(tvae), "ctgan": median_after_first(ctgan), "torch": torch.__version__}))
