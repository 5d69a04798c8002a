using static RadMah.Engine.Simulation.Process.SwatConstants;
using T = RadMah.Engine.Simulation.Process.SwatTags;

namespace RadMah.Engine.Simulation.Process;

/// <summary>
/// The true physical state of the six-stage plant and its fixed-step integration. Each tank obeys
/// A·dh/dt = Q_in − Q_out, with pumps that cannot draw more than the tank holds (they run dry) and
/// an overflow at the rim; pumps follow a flow curve and ramp up and down; valves travel; dosing,
/// tank mixing and analysers are first-order; the UF membrane fouls with the volume it filters
/// and a backwash clears the reversible part. The PLC never reads this state, only transmitters do.
/// </summary>
public sealed class Plant
{
    public const int T101 = 0, T301 = 1, T401 = 2, T602 = 3;
    private const double Dt = PhysicsStepMs / 1000.0;
    private const double DtHours = Dt / 3600.0;
    private static readonly double Volume0 = TankArea * TankHeight;

    private readonly double[] _volume = new double[4];
    public TankBalance[] Balances { get; } = [new(), new(), new(), new()];
    /// <summary>Leak rate of each tank, m³/h (a fault sets it).</summary>
    public double[] LeakRate { get; } = new double[4];

    /// <summary>Per actuator tag: where the valve stands (0 closed … 1 open) and where it is driven; a stuck valve does not move.</summary>
    private readonly double[] _valve = new double[T.Count];
    public bool[] ValveOpen { get; } = new bool[T.Count];
    public bool[] ValveStuck { get; } = new bool[T.Count];
    /// <summary>Per pump tag: speed 0…1, whether it is switched on, whether it has failed.</summary>
    private readonly double[] _speed = new double[T.Count];
    public bool[] PumpOn { get; } = new bool[T.Count];
    public bool[] PumpFailed { get; } = new bool[T.Count];
    /// <summary>Seconds each pump spent switched on while its tank could not feed it.</summary>
    public double[] DryRunSeconds { get; } = new double[T.Count];

    public double RawSupply { get; set; } = SwatConstants.RawSupply;
    public double RoFeedRate { get; set; } = RoFeedPumpFlow;

    // Flows of the last step, m³/h.
    private double _qRaw, _qP1, _qUf, _qFiltrate, _qFeed, _qPerm, _qRec, _qMemIn, _qRej, _qBackwash;
    // Water quality: the dosed stream of stage 2, and the contents of T301 and T401 (conductivity, pH, ORP, hardness).
    private double _c301, _ph301, _orp301, _hard301, _c401, _ph401, _orp401, _hard401;
    private FirstOrderLag _ait201, _ait202, _ait203, _ait401, _ait402, _ait501, _ait502, _ait503, _ait504;
    private FirstOrderLag _dp301, _pit501, _pit502, _pit503;
    private double _reversibleFouling, _irreversibleFouling;
    private long _stepsDone;

    public Plant(IReadOnlyDictionary<string, double> initialLevelsMm)
    {
        _volume[T101] = initialLevelsMm["T101"] / 1000 * TankArea;
        _volume[T301] = initialLevelsMm["T301"] / 1000 * TankArea;
        _volume[T401] = initialLevelsMm["T401"] / 1000 * TankArea;
        _volume[T602] = initialLevelsMm["T602"] / 1000 * TankArea;
        _c301 = _c401 = RawConductivity + NaClEffect * 0.6;
        _ph301 = _ph401 = RawPh - HclEffect;
        _orp301 = _orp401 = RawOrp + NaOclEffect;
        _hard301 = _hard401 = RawHardness;
        _ait201 = new(_c301, AnalyserTau, Dt);
        _ait202 = new(_ph301, AnalyserTau, Dt);
        _ait203 = new(_orp301, AnalyserTau, Dt);
        _ait401 = new(_hard401, AnalyserTau, Dt);
        _ait402 = new(_orp401 - BisulfiteEffect * 0.5, AnalyserTau, Dt);
        _ait501 = new(_ph401 - RoPhDrop, AnalyserTau, Dt);
        _ait502 = new(_orp401 - BisulfiteEffect * 0.5 - UvOrpEffect, AnalyserTau, Dt);
        _ait503 = new(_c401, AnalyserTau, Dt);
        _ait504 = new(_c401 * (1 - RoSaltRejection), AnalyserTau, Dt);
        _dp301 = new(0, PressureTau, Dt);
        _pit501 = new(RoFeedPressureIdle, PressureTau, Dt);
        _pit502 = new(0, PressureTau, Dt);
        _pit503 = new(RoRejectPressureIdle, PressureTau, Dt);
    }

    public double Volume(int tank) => _volume[tank];

    public double LevelMm(int tank) => _volume[tank] / TankArea * 1000;

    /// <summary>What SWaT's status column shows: valves 2 open, 1 closed, 0 in travel; pumps 2 on, 1 off.</summary>
    public int Status(int tag) => SwatTags.All[tag].Kind == TagKind.Valve
        ? _valve[tag] >= 1 ? 2 : _valve[tag] <= 0 ? 1 : 0
        : PumpOn[tag] && !PumpFailed[tag] ? 2 : 1;

    /// <summary>Whether the PLC sees the actuator as running or open (its status feedback).</summary>
    public bool IsOnOrOpen(int tag) => Status(tag) == 2;

    /// <summary>The true value a sensor tag's transmitter measures now, in the tag's unit.</summary>
    public double TrueValue(int tag) => tag switch
    {
        T.FIT101 => _qRaw,
        T.LIT101 => LevelMm(T101),
        T.AIT201 => _ait201.Value,
        T.AIT202 => _ait202.Value,
        T.AIT203 => _ait203.Value,
        T.FIT201 => _qP1,
        T.DPIT301 => _dp301.Value,
        T.FIT301 => _qUf,
        T.LIT301 => LevelMm(T301),
        T.AIT401 => _ait401.Value,
        T.AIT402 => _ait402.Value,
        T.FIT401 => _qFeed,
        T.LIT401 => LevelMm(T401),
        T.AIT501 => _ait501.Value,
        T.AIT502 => _ait502.Value,
        T.AIT503 => _ait503.Value,
        T.AIT504 => _ait504.Value,
        T.FIT501 => _qMemIn,
        T.FIT502 => _qPerm,
        T.FIT503 => _qRej,
        T.FIT504 => _qRec,
        T.PIT501 => _pit501.Value,
        T.PIT502 => _pit502.Value,
        T.PIT503 => _pit503.Value,
        T.FIT601 => _qBackwash,
        _ => throw new ArgumentOutOfRangeException(nameof(tag), SwatTags.All[tag].Name + " is an actuator"),
    };

    /// <summary>Total UF fouling, kPa at rated flow above the clean membrane.</summary>
    public double Fouling => _reversibleFouling + _irreversibleFouling;

    /// <summary>Advances the plant by one physics step (0.2 s).</summary>
    public void Step()
    {
        MoveActuators();
        var hours = (_stepsDone++ * Dt + Dt / 2) / 3600.0;

        // Stage 1: raw water in through MV101, out through P101/P102 and MV201 (a closed MV201 dead-heads the pump).
        _qRaw = RawSupply * _valve[T.MV101];
        var p1Want = PumpFlow(T.P101, T.P102, RawPumpFlow, T101) * _valve[T.MV201];
        _qP1 = Tank(T101, _qRaw, p1Want, 0, T.P101, T.P102);

        // Stage 3: T301 feeds the UF; filtrate through MV302 to T401, flush through MV304 to drain.
        var ufPath = Math.Max(_valve[T.MV302], _valve[T.MV304]);
        var ufWant = PumpFlow(T.P301, T.P302, UfPumpFlow, T301) * ufPath;
        _qUf = Tank(T301, _qP1, ufWant, 0, T.P301, T.P302);
        var toT401 = _valve[T.MV302] + _valve[T.MV304] > 0 ? _valve[T.MV302] / (_valve[T.MV302] + _valve[T.MV304]) : 0;
        _qFiltrate = _qUf * toT401;

        // Stage 4/5: T401 feeds the RO through P401/P402; the high-pressure pump sets the permeate share.
        var feedWant = PumpFlow(T.P401, T.P402, RoFeedRate, T401);
        _qFeed = Tank(T401, _qFiltrate, feedWant, 0, T.P401, T.P402);
        var hp = Math.Max(_speed[T.P501], _speed[T.P502]);
        _qPerm = _qFeed * RoRecovery * hp;
        _qRec = RoRecirculation * hp;
        _qMemIn = _qFeed + _qRec;
        _qRej = _qMemIn - _qPerm;

        // Stage 6: permeate into T602; P602 backwashes the UF through MV301/MV303, P601 sends product out.
        var backwashWant = _speed[T.P602] * BackwashPumpFlow * Curve(T602) * Math.Min(_valve[T.MV301], _valve[T.MV303]);
        var productWant = _speed[T.P601] * ProductPumpFlow * Curve(T602);
        _qBackwash = Tank(T602, _qPerm, backwashWant, productWant, T.P602, T.P601);

        UpdateQuality(hours);
        UpdateMembrane();
    }

    private void MoveActuators()
    {
        const double valveStep = Dt / ValveTravel, up = Dt / PumpRampUp, down = Dt / PumpRampDown;
        foreach (var v in Valves)
        {
            if (ValveStuck[v]) continue;
            var target = ValveOpen[v] ? 1.0 : 0.0;
            _valve[v] = _valve[v] < target ? Math.Min(target, _valve[v] + valveStep) : Math.Max(target, _valve[v] - valveStep);
        }
        foreach (var p in Pumps)
        {
            var target = PumpOn[p] && !PumpFailed[p] ? 1.0 : 0.0;
            _speed[p] = _speed[p] < target ? Math.Min(target, _speed[p] + up) : Math.Max(target, _speed[p] - down);
        }
    }

    private static readonly int[] Valves = [.. SwatTags.All.Select((t, i) => (t, i)).Where(x => x.t.Kind == TagKind.Valve).Select(x => x.i)];
    private static readonly int[] Pumps = [.. SwatTags.All.Select((t, i) => (t, i)).Where(x => x.t.Kind == TagKind.Pump).Select(x => x.i)];

    /// <summary>The pump curve: delivery rises with the suction head (the tank's level).</summary>
    private double Curve(int tank) => Math.Sqrt((PumpHeadMargin + _volume[tank] / TankArea) / (PumpHeadMargin + PumpReferenceLevel));

    private double PumpFlow(int duty, int standby, double rated, int tank) => (_speed[duty] + _speed[standby]) * rated * Curve(tank);

    /// <summary>
    /// One tank over one step: the inflow arrives, the outflows (a main and a second, plus the leak)
    /// take what they ask unless the tank cannot give it, then they share what there is and the
    /// pumps run dry; above the rim the excess overflows. Returns the main outflow delivered, m³/h.
    /// </summary>
    private double Tank(int tank, double inflow, double mainOut, double secondOut, int pumpA, int pumpB)
    {
        var leak = LeakRate[tank];
        var available = _volume[tank] + inflow * DtHours;
        var wanted = (mainOut + secondOut + leak) * DtHours;
        var scale = 1.0;
        double volume;
        if (wanted > available)
        {
            scale = available / wanted;
            volume = 0;
            if (mainOut > 0 && PumpOn[pumpA] | PumpOn[pumpB]) { DryRunSeconds[PumpOn[pumpA] ? pumpA : pumpB] += Dt; }
        }
        else
        {
            volume = available - wanted;
        }
        var overflow = Math.Max(0, volume - Volume0);
        _volume[tank] = volume - overflow;
        Balances[tank].Add(inflow * DtHours, (mainOut + secondOut) * scale * DtHours, leak * scale * DtHours, overflow);
        return mainOut * scale;
    }

    private void UpdateQuality(double hours)
    {
        var day = Math.Sin(2 * Math.PI * hours / 24);
        var rawConductivity = RawConductivity + RawConductivitySwing * day;
        var rawHardness = RawHardness + RawHardnessSwing * Math.Sin(2 * Math.PI * hours / 24 + 1.0);
        if (_qP1 > 0.01)
        {
            // Dosing pumps deliver a fixed dose; at low flow it is more concentrated.
            var concentration = RawPumpFlow / Math.Max(_qP1, 0.25 * RawPumpFlow);
            var conductivity = rawConductivity + NaClEffect * Math.Max(_speed[T.P201], _speed[T.P202]) * concentration;
            var ph = RawPh - HclEffect * Math.Max(_speed[T.P203], _speed[T.P204]) * concentration;
            var orp = RawOrp + NaOclEffect * Math.Max(_speed[T.P205], _speed[T.P206]) * concentration;
            _ait201.Step(conductivity);
            _ait202.Step(ph);
            _ait203.Step(orp);
            var mix = Math.Min(1, _qP1 * DtHours / Math.Max(_volume[T301], 0.01));
            _c301 += (conductivity - _c301) * mix;
            _ph301 += (ph - _ph301) * mix;
            _orp301 += (orp - _orp301) * mix;
            _hard301 += (rawHardness - _hard301) * mix;
        }
        if (_qFiltrate > 0.01)
        {
            var mix = Math.Min(1, _qFiltrate * DtHours / Math.Max(_volume[T401], 0.01));
            _c401 += (_c301 - _c401) * mix;
            _ph401 += (_ph301 - _ph401) * mix;
            _orp401 += (_orp301 - _orp401) * mix;
            _hard401 += (_hard301 - _hard401) * mix;
        }
        if (_qFeed > 0.01)
        {
            var dechlorinated = _orp401 - BisulfiteEffect * Math.Max(_speed[T.P403], _speed[T.P404]);
            _ait401.Step(_hard401);
            _ait402.Step(dechlorinated);
            _ait501.Step(_ph401 - RoPhDrop);
            _ait502.Step(dechlorinated - UvOrpEffect * _speed[T.UV401]);
            _ait503.Step(_c401);
            if (_qPerm > 0.01) _ait504.Step(_c401 * (1 - RoSaltRejection));
        }
        var hp = Math.Max(_speed[T.P501], _speed[T.P502]);
        var running = _qFeed > 0.01 ? hp : 0;
        _pit501.Step(RoFeedPressureIdle + RoFeedPressureRise * running * running);
        var loop = _qMemIn / (RoFeedPumpFlow + RoRecirculation);
        _pit503.Step(Math.Max(RoRejectPressureIdle, _pit501.Value - RoLoopDrop * loop * loop));
        _pit502.Step(RoPermeatePressure * _qPerm / (RoFeedPumpFlow * RoRecovery));
    }

    private void UpdateMembrane()
    {
        var filtered = _qFiltrate * DtHours;
        _reversibleFouling += (1 - UfIrreversibleShare) * UfFoulingPerM3 * filtered;
        _irreversibleFouling += UfIrreversibleShare * UfFoulingPerM3 * filtered;
        // A backwash lifts the cake off in proportion to the water pushed back (a full 30 s backwash leaves about 2%).
        var backwashed = _qBackwash * DtHours;
        if (backwashed > 0) _reversibleFouling *= Math.Exp(-backwashed / (BackwashPumpFlow * UfBackwashSeconds / 3600 / 4));
        var dp = (UfCleanDp + Fouling) * _qUf / UfPumpFlow + UfBackwashDp * _qBackwash / BackwashPumpFlow;
        _dp301.Step(dp);
    }
}
