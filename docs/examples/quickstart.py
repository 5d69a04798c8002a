"""RadMah in a notebook: create a job, wait for it, read it as a DataFrame, plot a column.

Run it against a local node (./radmah serve, then ./radmah admin accounts create --plan pro --credits 10):

    RADMAH_BASE_URL=http://localhost:5080 RADMAH_API_KEY=sl_live_... python3 docs/examples/quickstart.py
"""

from radmah_sdk import RadMahClient

# %% Connect: the key and address come from RADMAH_API_KEY and RADMAH_BASE_URL.
client = RadMahClient()
print(client.account())

# %% Create a job and wait for it (the page's first sample).
job = client.jobs.create(rows=100_000, description="customer transaction records")
job.wait()
print(f"Status: {job.status}")
print(f"Job ID: {job.id}, {job.credits_charged} credits, contract {job.contract_digest}")

# %% The rows as a pandas DataFrame.
df = job.to_dataframe()
print(df.head())
print(df.describe())

# %% A plot of one column, when matplotlib is installed.
try:
    import matplotlib.pyplot as plt
except ImportError:
    print("matplotlib is not installed: skipping the plot (pip install matplotlib)")
else:
    axes = df["amount"].plot.hist(bins=50, title="amount")
    axes.set_xlabel("amount")
    plt.tight_layout()
    plt.savefig("amount.png")
    print("Wrote amount.png")
