"""The alignment score: components, per-team scores, attribution of lost points, fixes."""
