/** Solves A·X = B for symmetric positive definite A (n × n) and B (n × k); A is overwritten by its factor. */
export function choleskySolve(a: Float64Array, n: number, b: Float64Array, k: number): Float64Array {
  for (let j = 0; j < n; j++) {
    let diagonal = a[j * n + j]!;
    for (let p = 0; p < j; p++) diagonal -= a[j * n + p]! ** 2;
    if (!(diagonal > 0)) throw new RangeError(`cholesky: matrix is not positive definite (pivot ${j})`);
    const l = Math.sqrt(diagonal);
    a[j * n + j] = l;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let p = 0; p < j; p++) s -= a[i * n + p]! * a[j * n + p]!;
      a[i * n + j] = s / l;
    }
  }
  const x = Float64Array.from(b);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < n; i++) {
      let s = x[i * k + c]!;
      for (let p = 0; p < i; p++) s -= a[i * n + p]! * x[p * k + c]!;
      x[i * k + c] = s / a[i * n + i]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = x[i * k + c]!;
      for (let p = i + 1; p < n; p++) s -= a[p * n + i]! * x[p * k + c]!;
      x[i * k + c] = s / a[i * n + i]!;
    }
  }
  return x;
}
