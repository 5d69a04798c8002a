using static RadMah.Engine.Simulation.Process.SwatConstants;
using T = RadMah.Engine.Simulation.Process.SwatTags;

namespace RadMah.Engine.Simulation.Process;

/// <summary>A change an attacker made to one stage's PLC program.</summary>
public enum LogicChange
{
    None,
    /// <summary>The stage's main actuators do the opposite of what its logic decides.</summary>
    Invert,
    /// <summary>The stage stops scanning: its outputs hold.</summary>
    Freeze,
    /// <summary>The stage's protective interlocks (dry-run, permissives, trips) are ignored.</summary>
    DisableInterlocks,
}

/// <summary>
/// The six stage PLCs of SWaT, after the SUTD simulator's logic (plc1 … plc6): hysteresis latches on
/// the published LL/L/H/HH thresholds, interlocks between stages, duty/standby pump pairs with
/// failover, and the UF sequence (flush, filtration, backwash on time or on DPIT301 high, drain).
/// It reads only transmitted readings and actuator status feedback, never the plant's true state
/// (except T602's level switches, which have no tag in SWaT's data).
/// </summary>
public sealed class PlcProgram
{
    public enum UfState { Standby, Flush, Filter, Backwash, Drain }

    /// <summary>Commands per actuator tag: open (valves) or on (pumps).</summary>
    public bool[] Command { get; } = new bool[T.Count];
    public LogicChange[] Changes { get; } = new LogicChange[7];
    public UfState Uf { get; private set; } = UfState.Standby;

    private bool _mv101, _p1Run, _mv201, _nacl, _hcl, _naocl, _p4Run, _bisulfite, _roTrip, _product;
    private double _ufTimer, _filtrationSeconds;
    private readonly PumpPair[] _pairs =
    [
        new(T.P101, T.P102), new(T.P201, T.P202), new(T.P203, T.P204), new(T.P205, T.P206),
        new(T.P302, T.P301), new(T.P402, T.P401), new(T.P403, T.P404), new(T.P501, T.P502),
    ];

    public PlcProgram(double[] readings, Thresholds[] thresholds)
    {
        // Latches start where the readings put them, as a PLC does after a restart.
        _mv101 = readings[T.LIT101] < thresholds[T.LIT101].H;
        _mv201 = readings[T.LIT301] < thresholds[T.LIT301].L;
        _p4Run = readings[T.LIT401] > thresholds[T.LIT401].LL;
    }

    /// <summary>One scan: reads, decides, writes <see cref="Command"/>.</summary>
    public void Scan(double[] r, Thresholds[] th, Plant plant, double scanSeconds)
    {
        bool Interlocks(int stage) => Changes[stage] != LogicChange.DisableInterlocks;
        bool Scans(int stage) => Changes[stage] != LogicChange.Freeze;

        if (Scans(1))
        {
            _mv101 = Latch(_mv101, r[T.LIT101] < th[T.LIT101].L, r[T.LIT101] > th[T.LIT101].H);
            var mv201Open = plant.IsOnOrOpen(T.MV201);
            _p1Run = Latch(_p1Run, mv201Open && r[T.LIT301] < th[T.LIT301].L,
                r[T.LIT301] > th[T.LIT301].H || Interlocks(1) && (!mv201Open || r[T.LIT101] < th[T.LIT101].LL));
            Command[T.MV101] = Invert(1, _mv101);
            Pair(0, Invert(1, _p1Run), plant, scanSeconds);
        }
        if (Scans(2))
        {
            _mv201 = Latch(_mv201, r[T.LIT301] < th[T.LIT301].L, r[T.LIT301] > th[T.LIT301].H);
            Command[T.MV201] = Invert(2, _mv201);
            var flowing = !Interlocks(2) || r[T.FIT201] > th[T.FIT201].L;
            _nacl = Latch(_nacl, r[T.AIT201] < th[T.AIT201].L, r[T.AIT201] > th[T.AIT201].H);
            _hcl = Latch(_hcl, r[T.AIT202] > th[T.AIT202].H, r[T.AIT202] < th[T.AIT202].L);
            _naocl = Latch(_naocl, r[T.AIT203] < th[T.AIT203].L, r[T.AIT203] > th[T.AIT203].H);
            Pair(1, flowing && _nacl, plant, scanSeconds);
            Pair(2, flowing && _hcl, plant, scanSeconds);
            Pair(3, flowing && _naocl, plant, scanSeconds);
        }
        if (Scans(3)) ScanUf(r, th, plant, scanSeconds, Interlocks(3));
        if (Scans(4))
        {
            _p4Run = Latch(_p4Run, r[T.LIT401] > th[T.LIT401].L, Interlocks(4) && r[T.LIT401] < th[T.LIT401].LL);
            var run = Invert(4, _p4Run);
            Command[T.UV401] = run;
            Pair(5, run && plant.IsOnOrOpen(T.UV401), plant, scanSeconds);
            _bisulfite = Latch(_bisulfite, r[T.AIT402] > th[T.AIT402].H, r[T.AIT402] < th[T.AIT402].L);
            Pair(6, _bisulfite && (plant.IsOnOrOpen(T.P401) || plant.IsOnOrOpen(T.P402)), plant, scanSeconds);
        }
        if (Scans(5))
        {
            _roTrip = Interlocks(5) && Latch(_roTrip, r[T.AIT504] > th[T.AIT504].HH, r[T.AIT504] < th[T.AIT504].H);
            Pair(7, Invert(5, r[T.FIT401] > th[T.FIT401].L && plant.IsOnOrOpen(T.UV401) && !_roTrip), plant, scanSeconds);
        }
        if (Scans(6))
        {
            var level = plant.Volume(Plant.T602) / TankArea;
            _product = Latch(_product, level > T602High, level < T602Low);
            Command[T.P601] = Invert(6, _product);
            Command[T.P603] = false;
        }
    }

    private void ScanUf(double[] r, Thresholds[] th, Plant plant, double dt, bool interlocks)
    {
        _ufTimer += dt;
        var feedLow = interlocks && r[T.LIT301] < th[T.LIT301].LL;
        switch (Uf)
        {
            case UfState.Standby:
                if (r[T.LIT401] < th[T.LIT401].L && !feedLow) Enter(UfState.Flush);
                break;
            case UfState.Flush:
                if (feedLow) Enter(UfState.Standby);
                else if (_ufTimer >= UfFlushSeconds) Enter(UfState.Filter);
                break;
            case UfState.Filter:
                _filtrationSeconds += dt;
                if (_filtrationSeconds >= UfFiltrationSeconds || r[T.DPIT301] > th[T.DPIT301].H) Enter(UfState.Backwash);
                else if (feedLow || r[T.LIT401] > th[T.LIT401].H) Enter(UfState.Standby);
                break;
            case UfState.Backwash:
                if (_ufTimer >= UfBackwashSeconds) Enter(UfState.Drain);
                break;
            case UfState.Drain:
                if (_ufTimer >= UfDrainSeconds)
                {
                    _filtrationSeconds = 0;
                    Enter(r[T.LIT401] > th[T.LIT401].H || feedLow ? UfState.Standby : UfState.Flush);
                }
                break;
        }
        var pumping = Uf is UfState.Flush or UfState.Filter;
        Pair(4, Invert(3, pumping), plant, dt);
        Command[T.MV302] = Invert(3, Uf == UfState.Filter);
        Command[T.MV304] = Uf is UfState.Flush or UfState.Drain;
        Command[T.MV301] = Command[T.MV303] = Uf == UfState.Backwash;
        Command[T.P602] = Uf == UfState.Backwash && (!interlocks || plant.Volume(Plant.T602) / TankArea > T602LowLow);
    }

    private void Enter(UfState state)
    {
        Uf = state;
        _ufTimer = 0;
    }

    private bool Invert(int stage, bool decided) => Changes[stage] == LogicChange.Invert ? !decided : decided;

    /// <summary>SWaT's SETD block: reset wins, then set, else hold.</summary>
    private static bool Latch(bool state, bool set, bool reset) => !reset && (set || state);

    private void Pair(int index, bool demand, Plant plant, double dt)
    {
        var pair = _pairs[index];
        pair.Update(demand && Command[pair.Active], plant, dt);
        Command[pair.Active] = demand;
        Command[pair.Other] = false;
    }

    /// <summary>A duty pump and its standby: a duty commanded on whose feedback stays off hands over after a while.</summary>
    private sealed class PumpPair(int duty, int standby)
    {
        private readonly int _duty = duty, _standby = standby;
        private double _notRunning;
        public int Active { get; private set; } = duty;
        public int Other => Active == _duty ? _standby : _duty;

        /// <param name="commanded">The active pump is demanded and was commanded on at the last scan.</param>
        public void Update(bool commanded, Plant plant, double dt)
        {
            _notRunning = commanded && !plant.IsOnOrOpen(Active) ? _notRunning + dt : 0;
            if (_notRunning < FailoverSeconds) return;
            Active = Other;
            _notRunning = 0;
        }
    }
}
