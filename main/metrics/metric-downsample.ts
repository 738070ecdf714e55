// Server-side downsampling of long metric series, so a chart of 100,000 points costs the UI a few KB.

export interface IndexedPoint<T> {
  index: number;
  value: T;
}

/**
 * Largest-triangle-three-buckets (Steinarsson 2013): keeps the first and last point and, per
 * bucket, the point that spans the largest triangle with its neighbours: peaks and dips survive.
 * Points whose value is not a finite number are never chosen.
 */
export function lttb<T>(points: IndexedPoint<T>[], max: number, y: (v: T) => number): IndexedPoint<T>[] {
  const n = points.length;
  if (max >= n || max < 3) return max < 3 && n > max ? evenly(points, max) : points;
  const out: IndexedPoint<T>[] = [points[0]];
  const size = (n - 2) / (max - 2);
  let a = 0;
  for (let i = 0; i < max - 2; i++) {
    const start = Math.floor(i * size) + 1;
    const end = Math.min(Math.floor((i + 1) * size) + 1, n - 1);
    const nextStart = end;
    const nextEnd = Math.min(Math.floor((i + 2) * size) + 1, n);
    let avgX = 0;
    let avgY = 0;
    let count = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      const v = y(points[j].value);
      if (!Number.isFinite(v)) continue;
      avgX += points[j].index;
      avgY += v;
      count++;
    }
    if (count) {
      avgX /= count;
      avgY /= count;
    } else {
      avgX = points[n - 1].index;
      avgY = y(points[n - 1].value);
    }
    const ax = points[a].index;
    const ay = y(points[a].value);
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const v = y(points[j].value);
      if (!Number.isFinite(v)) continue;
      const area = Math.abs((ax - avgX) * (v - ay) - (ax - points[j].index) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out.push(points[best]);
    a = best;
  }
  out.push(points[n - 1]);
  return out;
}

/** Evenly spaced points including the first and the last (for values that are not numbers). */
export function evenly<T>(points: T[], max: number): T[] {
  const n = points.length;
  if (n <= max) return points;
  if (max <= 1) return [points[n - 1]];
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(points[Math.round((i * (n - 1)) / (max - 1))]);
  return out;
}
