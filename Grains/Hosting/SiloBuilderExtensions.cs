using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime.MembershipService.SiloMetadata;
using RadMah.Artifacts;
using RadMah.Engine.Jobs;
using RadMah.Engine.Kinds;
using RadMah.Engine.Synthesis.Models;
using RadMah.Grains.Artifacts;
using Orleans.Serialization;
using RadMah.Grains.Evidence;
using RadMah.Grains.Faults;
using RadMah.Grains.Jobs;
using RadMah.Grains.Placement;
using RadMah.Grains.Queues;
using RadMah.Grains.Records;
using RadMah.Grains.Submission;
using RadMah.Grains.Telemetry;
using RadMah.Grains.Work;

namespace RadMah.Grains.Hosting;

public static class SiloBuilderExtensions
{
    /// <summary>Registers what the platform's grains need: options, the artifact store and the work of each available kind. Storage providers are the host's choice.</summary>
    public static ISiloBuilder AddRadMahGrains(this ISiloBuilder builder, Action<RadMahSiloOptions>? configure = null)
    {
        var options = builder.Services.AddOptions<RadMahSiloOptions>();
        if (configure is not null) options.Configure(configure);
        // The tiers this silo serves travel as silo metadata, so every tier queue in the cluster knows them.
        var settings = new RadMahSiloOptions();
        configure?.Invoke(settings);
        builder.UseSiloMetadata(SiloTiers.ToMetadata(settings.Slots));
        builder.AddPlacementDirector<SiloPinnedPlacement, SiloPinnedPlacementDirector>();
        // Jobs and artifacts leave memory soon after their last call: everything a job needs is in
        // its stored state, so one that is idle (finished, or waiting in a long line) is read back
        // when next called; only in-memory progress of a running job that reports none is lost.
        // The collector must look more often than that lifetime to honour it, and often enough that
        // each look deactivates a few hundred grains rather than thousands at once.
        if (settings.JobIdleLifetime <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(configure), "JobIdleLifetime must be positive.");
        if (settings.FinishedJobLifetime <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(configure), "FinishedJobLifetime must be positive.");
        builder.Configure<GrainCollectionOptions>(collection =>
        {
            var quantum = settings.JobIdleLifetime / 3 < TimeSpan.FromSeconds(10) ? settings.JobIdleLifetime / 3 : TimeSpan.FromSeconds(10);
            if (collection.CollectionQuantum > quantum) collection.CollectionQuantum = quantum;
            collection.ClassSpecificCollectionAge[typeof(JobGrain).FullName!] = settings.JobIdleLifetime;
            collection.ClassSpecificCollectionAge[typeof(ArtifactGrain).FullName!] = settings.JobIdleLifetime;
            collection.ClassSpecificCollectionAge[typeof(AccountJobChunkGrain).FullName!] = settings.JobIdleLifetime;
        });
        // The directory cache remembers where grains on other silos live. Orleans sizes it for a
        // million grains up front, an 8 MB table of references the collector walks at every full
        // collection; a hundred thousand recent ones is plenty for this platform's traffic.
        builder.Configure<GrainDirectoryOptions>(directory => directory.CacheSize = Math.Min(directory.CacheSize, 100_000));
        // The queues' wake reminders tick every 10 s; Orleans' default minimum period is a minute.
        builder.Configure<ReminderOptions>(reminders => reminders.MinimumReminderPeriod = TimeSpan.FromSeconds(5));
        builder.Services.TryAddSingleton<IArtifactStore>(sp =>
        {
            var silo = sp.GetRequiredService<IOptions<RadMahSiloOptions>>().Value;
            return new LocalDiskArtifactStore(silo.DataDirectory, silo.DurableArtifacts);
        });
        builder.Services.TryAddSingleton<ICheckpointStore>(sp => new LocalDiskCheckpointStore(sp.GetRequiredService<IOptions<RadMahSiloOptions>>().Value.DataDirectory));
        builder.Services.TryAddInMemoryPlatformRecords();
        // Errors of database drivers never leave a grain as themselves (WireSafeErrorsFilter); the
        // prefix lets one inside an Orleans error (a failed activation) still cross the wire, to be
        // reported as what it is rather than as a serialization failure.
        builder.AddIncomingGrainCallFilter<WireSafeErrorsFilter>();
        builder.Services.Configure<ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add("Npgsql"));
        builder.Services.AddSingleton<EvidenceSigner>();
        builder.Services.AddSingleton<ArtifactCatalog>();
        builder.Services.AddSingleton<JobEvidence>();
        builder.Services.AddSingleton<JobCommitter>();
        builder.Services.AddSingleton(sp => PlatformMetrics.Track(new ComputeGate(sp.GetRequiredService<IOptions<RadMahSiloOptions>>().Value.ComputeSlots)));

        // The job kinds this silo accepts and runs: one line per kind (docs/ARCHITECTURE.md, "Adding a job kind").
        builder.AddJobKind<MockKind, MockWork>();
        builder.AddJobKind<VerifyKind, VerifyWork>();
        builder.AddJobKind<AnalyzeKind, AnalyzeWork>();
        builder.AddJobKind<FitKind, FitWork>();
        builder.AddJobKind<LiftKind, LiftWork>();
        builder.AddJobKind<TrainKind, TrainWork>();
        builder.AddJobKind<SynthesizeKind, SynthesizeWork>();
        builder.AddJobKind<SimulateKind, SimulateWork>();
        builder.AddJobKind<ScenarioFabricateKind, ScenarioFabricateWork>();
        builder.AddJobKind<FabricateKind, FabricateWork>();
        // The model families train and synthesize can run here: the copula always; a host adds the neural ones (AddModelFamily).
        builder.Services.TryAddSingleton(sp => new ModelFamilies(sp.GetServices<IModelFamily>()));
        builder.Services.AddSingleton<JobKindCatalog>();
        builder.Services.AddSingleton<JobWorkCatalog>();
        // A kind without work (or work without a kind) stops the silo from starting, rather than failing its first job;
        // the artifact store opens at start too, sweeping the staging of processes that died.
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, JobWorkCatalog.StartupCheck>();
        return builder;
    }

    /// <summary>Adds a model family (a neural one from RadMah.Neural) to what this silo's train and synthesize jobs can run.</summary>
    public static ISiloBuilder AddModelFamily<TFamily>(this ISiloBuilder builder) where TFamily : class, IModelFamily
    {
        builder.Services.AddSingleton<IModelFamily, TFamily>();
        return builder;
    }

    /// <summary>Registers a job kind: the engine's object for it (submission, price, result, rerun) and its work (the computation).</summary>
    public static ISiloBuilder AddJobKind<TKind, TWork>(this ISiloBuilder builder) where TKind : class, IJobKind where TWork : class, IJobWork
    {
        builder.Services.AddSingleton<TKind>();
        builder.Services.AddSingleton<IJobKind>(sp => sp.GetRequiredService<TKind>());
        builder.Services.AddSingleton<IJobWork, TWork>();
        return builder;
    }
}
