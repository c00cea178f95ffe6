// How the benchmark states a result against its target.

/** `(target X: met)` or `(target X: MISSED)`, so a reader need not compare numbers by eye. */
export const target = (met, text) => `(target ${text}: ${met ? 'met' : 'MISSED'})`;
