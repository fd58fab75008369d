/// What `lstmc bench --target c-cortex-m4|c-cortex-m3` measured for one model on an emulated
/// core: instructions per step, counted by qemu, against the recurrent floor, and the memory
/// report. Its JSON form (`--json`) has stable snake_case keys; a measurement that was not made
/// is `null`.
public struct MCUBenchmarkReport: Codable, Equatable, Sendable {
  /// The floor: the multiply-adds a step cannot avoid.
  public struct Floor: Codable, Equatable, Sendable {
    /// ``RecurrentFloor/formula``.
    public var formula: String
    /// The formula with the model's numbers.
    public var worked: String
    /// Multiply-adds per step.
    public var macsPerStep: Int
    /// Every recurrent layer's direction.
    public var terms: [RecurrentFloor.Term]

    enum CodingKeys: String, CodingKey {
      case formula, worked, terms
      case macsPerStep = "mac_per_step"
    }
  }

  /// Instructions the core executes per step.
  public struct Instructions: Codable, Equatable, Sendable {
    /// Per `name_step` call; `nil` for a model without `name_step`.
    public var step: Double?
    /// Per step of `name_predict`.
    public var predict: Double
    /// Per `name_step_q` call (a quantized model's integer API); `nil` for a float model or one without it.
    public var stepQ: Double?
    /// Per step of `name_predict_q`; `nil` for a float model.
    public var predictQ: Double?
    /// The two sequence lengths whose counts were subtracted.
    public var steps: [Int]
    /// The total counts of the runs, for the record: `step` short and long (absent without
    /// `name_step`), then `predict` short and long, then the same for `step_q` and `predict_q`.
    public var totals: [Int]

    enum CodingKeys: String, CodingKey {
      case step, predict, steps, totals
      case stepQ = "step_q"
      case predictQ = "predict_q"
    }

    public func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(step, forKey: .step)
      try container.encode(predict, forKey: .predict)
      try container.encode(stepQ, forKey: .stepQ)
      try container.encode(predictQ, forKey: .predictQ)
      try container.encode(steps, forKey: .steps)
      try container.encode(totals, forKey: .totals)
    }
  }

  /// Instructions per floor multiply-add.
  public struct PerMultiplyAdd: Codable, Equatable, Sendable {
    /// `step`'s instructions over the floor; `nil` without `name_step`.
    public var step: Double?
    /// `predict`'s instructions per step over the floor.
    public var predict: Double
    /// `step_q`'s instructions over the floor; `nil` where not measured.
    public var stepQ: Double?
    /// `predict_q`'s instructions per step over the floor; `nil` for a float model.
    public var predictQ: Double?

    enum CodingKeys: String, CodingKey {
      case step, predict
      case stepQ = "step_q"
      case predictQ = "predict_q"
    }

    public func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(step, forKey: .step)
      try container.encode(predict, forKey: .predict)
      try container.encode(stepQ, forKey: .stepQ)
      try container.encode(predictQ, forKey: .predictQ)
    }
  }

  /// The model's memory on the core, as `lstmc generate c|swift` reports it (its own `-Os` or
  /// `-Osize` build of the model file alone).
  public struct Memory: Codable, Equatable, Sendable {
    /// How it was measured.
    public var method: String
    /// Flash for code: text minus read-only data.
    public var code: Int
    /// Flash for the weights and other read-only data.
    public var readOnlyData: Int
    /// Static RAM: data plus bss (the generated code has none of its own).
    public var ram: Int
    /// The state struct, `sizeof(name_state_t)` (caller-owned RAM).
    public var state: Int?
    /// Worst-case stack of `name_step`; `nil` without `name_step`.
    public var stackStep: Int?
    /// Worst-case stack of `name_predict`.
    public var stackPredict: Int?

    enum CodingKeys: String, CodingKey {
      case method, code, ram, state
      case readOnlyData = "read_only_data"
      case stackStep = "stack_step"
      case stackPredict = "stack_predict"
    }

    public func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(method, forKey: .method)
      try container.encode(code, forKey: .code)
      try container.encode(readOnlyData, forKey: .readOnlyData)
      try container.encode(ram, forKey: .ram)
      try container.encode(state, forKey: .state)
      try container.encode(stackStep, forKey: .stackStep)
      try container.encode(stackPredict, forKey: .stackPredict)
    }
  }

  /// The model file, as given.
  public var model: String
  /// `c-cortex-m4` or `c-cortex-m3`.
  public var target: String
  /// How instructions were counted.
  public var method: String
  /// The cross compiler command.
  public var compiler: String
  /// The flags the generated code and harness were compiled with.
  public var cflags: [String]
  /// `exact` or `fast`.
  public var math: String
  /// The gate products' layout (``CodeGen/TargetCore``) of the generated C; `host` for Swift.
  public var targetCore: String
  /// Whether the model has `name_step`.
  public var streams: Bool
  /// The floor.
  public var floor: Floor
  /// Instructions per step.
  public var instructions: Instructions
  /// `step`'s instructions per floor multiply-add when the model streams, else `predict`'s.
  public var instructionsPerMAC: Double
  /// Both modes' instructions per floor multiply-add.
  public var perMAC: PerMultiplyAdd
  /// The memory report.
  public var memory: Memory
  /// What the reader should know.
  public var notes: [String]

  enum CodingKeys: String, CodingKey {
    case model, target, method, compiler, cflags, math, streams, floor, instructions, memory, notes
    case targetCore = "target_core"
    case instructionsPerMAC = "instructions_per_mac"
    case perMAC = "instructions_per_mac_by_mode"
  }
}
