"""Evidence arithmetic: proportions with their intervals, overlapping cohorts, and the
checks of each evidence row against itself."""
