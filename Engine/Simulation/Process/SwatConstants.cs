namespace RadMah.Engine.Simulation.Process;

/// <summary>
/// The plant's physical constants. Sources: MiniCPS swat-s1 (scy-phy/minicps, examples/swat-s1/utils.py:
/// tank section 1.5 m², height 1.6 m, raw inflow 2.55 and pump 2.45 m³/h, physics step 0.2 s, PLC scan
/// 0.4 s); the SUTD SWaT simulator (sp-2018 supplementary material: every tank 1.5 m², backwash 30 s
/// every 30 min of filtration); SWaT's recorded data (Goh et al. 2016) for the operating values the
/// plant settles at (flows, analyser readings, pressures). Values marked "model" are this simulator's
/// own choice where no source gives one; docs/SIMULATE.md lists each.
/// </summary>
public static class SwatConstants
{
    /// <summary>Physics step (MiniCPS PP_PERIOD_SEC).</summary>
    public const long PhysicsStepMs = 200;
    /// <summary>PLC scan period (MiniCPS PLC_PERIOD_SEC).</summary>
    public const long PlcScanMs = 400;

    /// <summary>Every tank's cross-section, m² (MiniCPS TANK_SECTION; SUTD S_t101 … S_t602).</summary>
    public const double TankArea = 1.5;
    /// <summary>Every tank's height, m (MiniCPS TANK_HEIGHT): above it the tank overflows.</summary>
    public const double TankHeight = 1.6;

    /// <summary>Raw water supply through a fully open MV101, m³/h (SWaT FIT101 2.43–2.57; MiniCPS 2.55).</summary>
    public const double RawSupply = 2.5;
    /// <summary>Rated pump flows at the reference suction level, m³/h: P101/P102 (MiniCPS 2.45), P301/P302 (SWaT FIT301 ≈ 2.23),
    /// P401/P402 (SWaT FIT401 ≈ 1.7), P601 (model), P602 (SUTD f_p602 2.0; SWaT FIT601 range 2–3).</summary>
    public const double RawPumpFlow = 2.45, UfPumpFlow = 2.23, RoFeedPumpFlow = 1.72, ProductPumpFlow = 2.0, BackwashPumpFlow = 2.4;
    /// <summary>Pump curve (model): flow ∝ √((H0 + h)/(H0 + h_ref)) for suction level h, m; H0 is the pump's shut-off head less the static lift.</summary>
    public const double PumpHeadMargin = 4.0, PumpReferenceLevel = 0.8;
    /// <summary>Pump start and stop ramps, s (model).</summary>
    public const double PumpRampUp = 2.0, PumpRampDown = 1.0;
    /// <summary>Motorised valve full-stroke travel time, s (model; SWaT logs MV = 0 for a few seconds per move).</summary>
    public const double ValveTravel = 6.0;

    /// <summary>RO: permeate recovery of the feed, and the reject recirculation, m³/h (SWaT FIT502 ≈ 1.25, FIT503 ≈ 0.8, FIT504 ≈ 0.3).</summary>
    public const double RoRecovery = 0.727, RoRecirculation = 0.3;
    /// <summary>RO salt rejection (model: SWaT AIT504 ≈ 12.7 µS/cm for AIT503 ≈ 262).</summary>
    public const double RoSaltRejection = 0.9515;
    /// <summary>RO pressures, kPa (SWaT PIT501 250.9 / 10.0, PIT502 1.65 / 0, PIT503 189.6 / 4.3, running / stopped).</summary>
    public const double RoFeedPressureIdle = 10.0, RoFeedPressureRise = 240.9, RoLoopDrop = 61.3, RoPermeatePressure = 1.65, RoRejectPressureIdle = 4.3;

    /// <summary>UF membrane: differential pressure at rated flow when clean, kPa (SWaT DPIT301 19.7–20.8 filtering).</summary>
    public const double UfCleanDp = 19.5;
    /// <summary>Fouling: kPa of DP (at rated flow) per m³ filtered (model: +1.2 kPa over a 30 min run), and the share a backwash cannot remove (model).</summary>
    public const double UfFoulingPerM3 = 1.2 / (2.23 * 0.5), UfIrreversibleShare = 0.02;
    /// <summary>DPIT301 during a backwash at rated backwash flow, kPa (model).</summary>
    public const double UfBackwashDp = 24.0;
    /// <summary>UF sequence durations, s (SUTD simulator: 30 s flush, 30 s backwash, 30 s drain; filtration 30 min on the real plant).</summary>
    public const double UfFlushSeconds = 30, UfBackwashSeconds = 30, UfDrainSeconds = 30, UfFiltrationSeconds = 30 * 60;

    /// <summary>Analyser time constants, s (model).</summary>
    public const double AnalyserTau = 15.0, PressureTau = 2.0;
    /// <summary>Raw water: conductivity µS/cm with a daily swing, pH, ORP mV, hardness ppm (model, near SWaT's readings).</summary>
    public const double RawConductivity = 244.0, RawConductivitySwing = 4.0, RawPh = 8.6, RawOrp = 250.0, RawHardness = 150.0, RawHardnessSwing = 3.0;
    /// <summary>Dosing effects at rated flow: NaCl +22 µS/cm, HCl −0.3 pH, NaOCl +75 mV; NaHSO3 −90 mV; UV −110 mV; the RO stage's pH drop (model).</summary>
    public const double NaClEffect = 22.0, HclEffect = 0.3, NaOclEffect = 75.0, BisulfiteEffect = 90.0, UvOrpEffect = 110.0, RoPhDrop = 0.45;

    /// <summary>A duty pump commanded on but not running for this long hands over to its standby, s (model).</summary>
    public const double FailoverSeconds = 5.0;
    /// <summary>The RO permeate / backwash tank T602 (no level tag in SWaT's data): product transfer on at H, off at L; backwash needs LL.</summary>
    public const double T602High = 0.7, T602Low = 0.5, T602LowLow = 0.2;
}
