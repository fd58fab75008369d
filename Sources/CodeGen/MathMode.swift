/// How the generated C evaluates sigmoid and tanh.
public enum MathMode: String, Sendable, CaseIterable {
  /// libm's `expf` and `tanhf`, as lstmc's interpreter computes them.
  case exact
  /// lstmc's own branch-free approximations (no libm for sigmoid and tanh); see `templates/README.md`
  /// for their measured error. Other activations still call libm.
  case fast
}
