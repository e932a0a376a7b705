package io.execsim.core.cli;

/** The urfave/cli v1 flag types the simulated commands use, each parsed and shown in help as urfave does it. */
public enum FlagKind {
  /** {@code BoolFlag}: no value; {@code --x=false} sets it off. No default is shown. */
  BOOL,
  /** {@code StringFlag}: a default that is not empty is shown quoted. */
  STRING,
  /** {@code StringSliceFlag}: each use adds one value. */
  STRING_SLICE,
  /** {@code IntFlag}: Go's {@code int}, any base with its prefix. Its default is always shown. */
  INT,
  /** {@code Int64Flag}. */
  INT64,
  /** {@code Uint64Flag}. */
  UINT64,
  /** {@code Float64Flag}. */
  FLOAT64,
  /** {@code IntSliceFlag}: each use adds one decimal {@code int}. */
  INT_SLICE,
  /** {@code Int64SliceFlag}: each use adds one decimal {@code int64}. */
  INT64_SLICE,
  /** {@code DurationFlag}: Go's {@code time.ParseDuration}; its default is always shown, {@code 0s} at least. */
  DURATION;

  /** Whether the flag takes a value, so that help shows a placeholder after its names. */
  public boolean takesValue() {
    return this != BOOL;
  }

  /** Whether each use adds a value rather than replacing the last. */
  public boolean isSlice() {
    return this == STRING_SLICE || this == INT_SLICE || this == INT64_SLICE;
  }
}
