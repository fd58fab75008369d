/// Everything `lstmc bench` measured for one model; its JSON form (`--json`) has stable
/// snake_case keys, and a measurement that was not made is `null`.
public struct BenchmarkReport: Codable, Equatable, Sendable {
  /// The floor: the multiply-adds a step cannot avoid, and their time at the measured peak.
  public struct Floor: Codable, Equatable, Sendable {
    /// ``RecurrentFloor/formula``.
    public var formula: String
    /// The formula with the model's numbers.
    public var worked: String
    /// Multiply-adds per step.
    public var macsPerStep: Int
    /// `macsPerStep / peak`, in nanoseconds.
    public var nanosecondsPerStep: Double
    /// Every recurrent layer's direction.
    public var terms: [RecurrentFloor.Term]

    enum CodingKeys: String, CodingKey {
      case formula, worked, terms
      case macsPerStep = "mac_per_step"
      case nanosecondsPerStep = "ns_per_step"
    }
  }

  /// Measured time divided by the floor's time (1 would be the machine's peak).
  public struct Ratios: Codable, Equatable, Sendable {
    /// `name_step`'s median over the floor; `nil` for a model without `name_step`.
    public var step: Double?
    /// `name_predict`'s median per step over the floor.
    public var predict: Double
    /// `name_step`'s median over the limit, max(compute floor, memory floor); `nil` without
    /// `name_step` or without a memory floor.
    public var stepVsLimit: Double?
    /// `name_predict`'s median per step over the same limit; `nil` without a memory floor.
    public var predictVsLimit: Double?

    enum CodingKeys: String, CodingKey {
      case step, predict
      case stepVsLimit = "step_vs_limit"
      case predictVsLimit = "predict_vs_limit"
    }

    /// Creates the ratios.
    public init(step: Double?, predict: Double, stepVsLimit: Double? = nil, predictVsLimit: Double? = nil) {
      self.step = step
      self.predict = predict
      self.stepVsLimit = stepVsLimit
      self.predictVsLimit = predictVsLimit
    }

    public func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(step, forKey: .step)
      try container.encode(predict, forKey: .predict)
      try container.encode(stepVsLimit, forKey: .stepVsLimit)
      try container.encode(predictVsLimit, forKey: .predictVsLimit)
    }
  }

  /// Instructions per step, from callgrind, counted only inside the model's functions
  /// (`name_reset`, `name_step`, `name_predict` and what they call).
  public struct Instructions: Codable, Equatable, Sendable {
    /// Per `name_step` call; `nil` for a model without `name_step`.
    public var step: Int?
    /// Per step of `name_predict`.
    public var predict: Int?
    /// The flags of the build callgrind ran (the benchmark's, plus `-mno-avx512f` when valgrind
    /// could not decode the first build).
    public var cflags: [String]
    /// The two sequence lengths whose counts were subtracted.
    public var steps: [Int]

    public func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(step, forKey: .step)
      try container.encode(predict, forKey: .predict)
      try container.encode(cflags, forKey: .cflags)
      try container.encode(steps, forKey: .steps)
    }
  }

  /// The model file, as given.
  public var model: String
  /// Timesteps per timed run.
  public var steps: Int
  /// The C compiler command.
  public var compiler: String
  /// The compiler's first `--version` line.
  public var compilerVersion: String
  /// The flags the generated code and harness were compiled with (after lstmc's `-std=c99 -O2`).
  public var cflags: [String]
  /// `exact` or `fast`.
  public var math: String
  /// The gate products' layout (``CodeGen/TargetCore``): `host`, `cortex-m4`, `cortex-m3` or `generic`.
  public var targetCore: String
  /// Whether the model has `name_step` (every recurrent layer runs forward).
  public var streams: Bool
  /// The machine's multiply-add peak.
  public var peak: MultiplyAddPeak
  /// The floor.
  public var floor: Floor
  /// The memory floor: the weight bytes at the read bandwidth measured in the same run; `nil`
  /// when the bandwidth could not be measured.
  public var memoryFloor: MemoryFloor?
  /// `name_step`, one timestep per call, batch 1; `nil` for a model without `name_step`.
  public var step: BenchmarkTiming?
  /// `name_predict` on the whole sequence, per step.
  public var predict: BenchmarkTiming
  /// lstmc's interpreter on the same sequence (batch 1), per step.
  public var interpreter: BenchmarkTiming
  /// Timings over the floor.
  public var ratio: Ratios
  /// Instructions per step; `nil` without valgrind.
  public var instructions: Instructions?
  /// What the reader should know (a skipped measurement and why).
  public var notes: [String]

  enum CodingKeys: String, CodingKey {
    case model, steps, compiler, cflags, math, streams, peak, floor, step, predict, interpreter, ratio
    case instructions, notes
    case compilerVersion = "compiler_version"
    case memoryFloor = "memory_floor"
    case targetCore = "target_core"
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(model, forKey: .model)
    try container.encode(steps, forKey: .steps)
    try container.encode(compiler, forKey: .compiler)
    try container.encode(compilerVersion, forKey: .compilerVersion)
    try container.encode(cflags, forKey: .cflags)
    try container.encode(math, forKey: .math)
    try container.encode(targetCore, forKey: .targetCore)
    try container.encode(streams, forKey: .streams)
    try container.encode(peak, forKey: .peak)
    try container.encode(floor, forKey: .floor)
    try container.encode(memoryFloor, forKey: .memoryFloor)
    try container.encode(step, forKey: .step)
    try container.encode(predict, forKey: .predict)
    try container.encode(interpreter, forKey: .interpreter)
    try container.encode(ratio, forKey: .ratio)
    try container.encode(instructions, forKey: .instructions)
    try container.encode(notes, forKey: .notes)
  }
}
