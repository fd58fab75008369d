import CanonicalModel

/// The per-step arithmetic of one recurrent cell kind (LSTM, GRU) in one direction;
/// ``run(_:initialHidden:initialCell:)`` walks time around it, with the masking,
/// direction, output order and initial-state rules every recurrent layer shares.
protocol RecurrentCellKernel: Sendable {
  /// The direction's settings.
  var settings: RecurrentLayer { get }
  /// Values of one step's input projection `W x + b`.
  var projectionWidth: Int { get }
  /// Scratch floats one step needs.
  var scratchWidth: Int { get }
  /// Writes `W x + b` of one step's input `x` `[inputSize]` to `out` `[projectionWidth]`.
  func project(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>)
  /// One unmasked step: updates `h` (and `c`, for a cell that has one) in place.
  func step(
    projection: UnsafePointer<Float>, h: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>,
    scratch: UnsafeMutablePointer<Float>)
}

extension RecurrentCellKernel {
  /// Runs the direction over a sequence `[batch, time, inputSize]`, honouring its mask.
  ///
  /// At a masked step the state stays unchanged and the output repeats the
  /// previous step's output (zero before the first unmasked step), or is zero
  /// under `zeroOutputForMask`. Without return_sequences the output is the last
  /// processed step's output, as in Keras: the final `h`, except that it is zero
  /// when `zeroOutputForMask` is set and that step is masked.
  ///
  /// With `observe`, the result also holds the range of `h` and `c` over every processed step
  /// (for calibration); the normal path only pays one untaken branch per step.
  func run(
    _ x: LayerValue, initialHidden: [Float]? = nil, initialCell: [Float]? = nil, observe: Bool = false
  ) -> RecurrentResult {
    let batch = x.batch
    let time = x.steps
    let layer = settings
    let inputSize = layer.inputSize
    let hidden = layer.hiddenSize
    let gates = projectionWidth
    precondition(x.features == inputSize, "\(layer.cellName) expects \(inputSize) features, got \(x.features)")

    let backward = layer.direction == .backward
    // Whether output step k is the k-th processed step (rather than input step t).
    let reversedOutput = backward && layer.outputOrder == .processing
    let returnSequences = layer.returnSequences
    let zeroOutputForMask = layer.zeroOutputForMask
    var mask = x.mask
    if let lengths = layer.sequenceLengths?.data {
      // Constant lengths: steps at or past a sample's length are masked.
      var combined = mask ?? [Bool](repeating: true, count: batch * time)
      for sample in 0..<batch {
        let length = Int(lengths[sample])
        for t in 0..<time where t >= length { combined[sample * time + t] = false }
      }
      mask = combined
    }
    let initialHidden = initialHidden ?? layer.initialHidden?.data
    let initialCell = initialCell ?? layer.initialCell?.data

    var sequence = [Float](repeating: 0, count: returnSequences ? batch * time * hidden : 0)
    var lastOutput = [Float](repeating: 0, count: batch * hidden)
    var finalHidden = [Float](repeating: 0, count: batch * hidden)
    var finalCell = [Float](repeating: 0, count: batch * hidden)

    // Scratch: one sample's input projection [time, gates], h, c, then the cell's own scratch.
    let scratchCount = time * gates + 2 * hidden + scratchWidth
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: scratchCount)
    scratch.initialize(repeating: 0, count: scratchCount)
    defer { scratch.deallocate() }
    let projection = scratch
    let h = projection + time * gates
    let c = h + hidden
    let cellScratch = c + hidden

    var observation = observe ? StateObservation(direction: layer.direction) : nil
    x.data.withUnsafeBufferPointer { xs in
      for sample in 0..<batch {
        // W x_t + b for every step of this sample, hoisted out of the recurrence.
        let sampleInput = xs.baseAddress! + sample * time * inputSize
        for t in 0..<time {
          project(sampleInput + t * inputSize, into: projection + t * gates)
        }
        if let initialHidden {
          for j in 0..<hidden { h[j] = initialHidden[sample * hidden + j] }
        } else {
          h.update(repeating: 0, count: hidden)
        }
        if let initialCell {
          for j in 0..<hidden { c[j] = initialCell[sample * hidden + j] }
        } else {
          c.update(repeating: 0, count: hidden)
        }
        // Whether the previous processed step's output is zero (true before the first step).
        // Otherwise it is h: a masked step leaves h unchanged and repeats the previous output.
        var previousOutputIsZero = true
        for k in 0..<time {
          let t = backward ? time - 1 - k : k
          if mask?[sample * time + t] ?? true {
            step(projection: projection + t * gates, h: h, c: c, scratch: cellScratch)
            previousOutputIsZero = false
            if observation != nil {
              observation!.record(hidden: UnsafeBufferPointer(start: h, count: hidden))
              if layer.hasCellState { observation!.record(cell: UnsafeBufferPointer(start: c, count: hidden)) }
            }
          } else if zeroOutputForMask {
            previousOutputIsZero = true
          }
          if returnSequences && !previousOutputIsZero {
            let slot = reversedOutput ? k : t
            let start = (sample * time + slot) * hidden
            for j in 0..<hidden { sequence[start + j] = h[j] }
          }
        }
        let row = sample * hidden
        for j in 0..<hidden {
          finalHidden[row + j] = h[j]
          finalCell[row + j] = c[j]
          lastOutput[row + j] = previousOutputIsZero ? 0 : h[j]
        }
      }
    }

    let output: LayerValue
    if returnSequences {
      let outputMask = mask
      // Keras passes the input mask on unchanged, even when a go_backwards layer returns
      // its sequence in processing order (RNN.compute_mask); so does lstmc.
      output = LayerValue(data: sequence, batch: batch, time: time, features: hidden, mask: outputMask)
    } else {
      output = LayerValue(data: lastOutput, batch: batch, time: nil, features: hidden, mask: nil)
    }
    return RecurrentResult(
      output: output, finalHidden: finalHidden, finalCell: layer.hasCellState ? finalCell : [],
      observedRanges: observation)
  }

}
