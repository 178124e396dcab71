/**
 * Draws the time per task of every timed workload and variant, at every
 * size, as an SVG dot plot on a log scale: one row per variant, one marker
 * per N, coloured by who wrote the variant. No dependencies: the SVG is
 * written by hand.
 */
import type { Kind, Workload } from "./harness.ts"
import type { Row } from "./report.ts"

const COLORS: Record<Kind, string> = {
  "effect-asyncio": "#d62728",
  effect: "#1f77b4",
  promise: "#2ca02c",
  python: "#9467bd"
}

const KIND_LABELS: Record<Kind, string> = {
  "effect-asyncio": "effect-asyncio",
  effect: "raw Effect",
  promise: "promises",
  python: "CPython asyncio"
}

const escape = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")

const marker = (shape: number, x: number, y: number, color: string): string => {
  const r = 4.5
  if (shape === 0) return `<circle cx="${x.toFixed(1)}" cy="${y}" r="${r}" fill="${color}"/>`
  if (shape === 1) {
    return `<rect x="${(x - r).toFixed(1)}" y="${y - r}" width="${2 * r}" height="${
      2 * r
    }" fill="none" stroke="${color}" stroke-width="1.6"/>`
  }
  return `<path d="M${x.toFixed(1)} ${y - r - 1}L${(x + r + 1).toFixed(1)} ${y}L${x.toFixed(1)} ${y + r + 1}L${
    (x - r - 1).toFixed(1)
  } ${y}Z" fill="${color}" fill-opacity="0.35" stroke="${color}" stroke-width="1.2"/>`
}

const formatTick = (value: number): string => (value >= 1 ? `${value}` : value.toString())

/** Renders the chart; `sizes` in increasing order decide the markers (circle, square, diamond). */
export const renderChart = (
  rows: ReadonlyArray<Row>,
  workloads: ReadonlyArray<Workload>,
  sizes: ReadonlyArray<number>,
  subtitle: string
): string => {
  const timed = workloads.filter((w) => w.kind !== "memory")
  const lines: Array<
    { readonly header: string } | { readonly variant: string; readonly kind: Kind; readonly workload: string }
  > = []
  for (const w of timed) {
    const variants: Array<{ variant: string; kind: Kind }> = []
    for (const row of rows) {
      if (row.workload === w.id && row.usPerTask !== undefined && !variants.some((v) => v.variant === row.variant)) {
        variants.push({ variant: row.variant, kind: row.kind })
      }
    }
    if (variants.length === 0) continue
    lines.push({ header: w.title })
    for (const v of variants) lines.push({ ...v, workload: w.id })
  }
  const values = rows.flatMap((r) => (r.usPerTask !== undefined && r.usPerTask.median > 0 ? [r.usPerTask.median] : []))
  const lo = Math.floor(Math.log10(Math.min(...values)))
  const hi = Math.ceil(Math.log10(Math.max(...values)))

  const left = 300
  const plotWidth = 560
  const right = 24
  const top = 78
  const rowHeight = 17
  const width = left + plotWidth + right
  const height = top + lines.length * rowHeight + 44
  const x = (us: number) => left + ((Math.log10(us) - lo) / (hi - lo)) * plotWidth

  const out: Array<string> = []
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="-apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="12">`
  )
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`)
  out.push(
    `<text x="12" y="22" font-size="15" font-weight="bold">Time per task (µs, log scale; lower is better)</text>`
  )
  out.push(`<text x="12" y="40" fill="#555">${escape(subtitle)}</text>`)

  // Legend: colours, then markers.
  let lx = 12
  for (const kind of Object.keys(COLORS) as Array<Kind>) {
    out.push(`<rect x="${lx}" y="52" width="10" height="10" fill="${COLORS[kind]}"/>`)
    out.push(`<text x="${lx + 14}" y="61">${KIND_LABELS[kind]}</text>`)
    lx += 22 + KIND_LABELS[kind].length * 6.6
  }
  lx += 12
  sizes.forEach((n, i) => {
    out.push(marker(i, lx + 5, 57, "#333"))
    out.push(`<text x="${lx + 14}" y="61">N = ${n.toLocaleString("en-US")}</text>`)
    lx += 30 + `N = ${n.toLocaleString("en-US")}`.length * 6.4
  })

  // Grid.
  const gridTop = top - 6
  const gridBottom = top + lines.length * rowHeight
  for (let e = lo; e <= hi; e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e
      if (e === hi && m > 1) continue
      const gx = x(v)
      out.push(
        `<line x1="${gx.toFixed(1)}" y1="${gridTop}" x2="${gx.toFixed(1)}" y2="${gridBottom}" stroke="${
          m === 1 ? "#bbb" : "#e6e6e6"
        }"/>`
      )
      if (m === 1 || hi - lo <= 3) {
        out.push(
          `<text x="${gx.toFixed(1)}" y="${gridBottom + 16}" text-anchor="middle" fill="#444">${
            formatTick(Number(v.toPrecision(1)))
          }</text>`
        )
      }
    }
  }
  out.push(
    `<text x="${left + plotWidth / 2}" y="${gridBottom + 34}" text-anchor="middle" fill="#444">µs per task</text>`
  )

  // Rows.
  lines.forEach((line, i) => {
    const y = top + i * rowHeight + rowHeight / 2
    if ("header" in line) {
      out.push(`<text x="8" y="${y + 4}" font-weight="bold">${escape(line.header)}</text>`)
      return
    }
    if (i % 2 === 0) {
      out.push(
        `<rect x="0" y="${
          y - rowHeight / 2
        }" width="${width}" height="${rowHeight}" fill="#f6f6f6" fill-opacity="0.6"/>`
      )
    }
    const color = COLORS[line.kind]
    out.push(`<text x="${left - 8}" y="${y + 4}" text-anchor="end" fill="${color}">${escape(line.variant)}</text>`)
    const points = sizes.flatMap((n, s) => {
      const row = rows.find((r) => r.workload === line.workload && r.variant === line.variant && r.n === n)
      return row?.usPerTask === undefined ? [] : [{ s, px: x(row.usPerTask.median) }]
    })
    if (points.length > 1) {
      const xs = points.map((p) => p.px)
      out.push(
        `<line x1="${Math.min(...xs).toFixed(1)}" y1="${y}" x2="${
          Math.max(...xs).toFixed(1)
        }" y2="${y}" stroke="${color}" stroke-opacity="0.35" stroke-width="2"/>`
      )
    }
    for (const p of points) out.push(marker(p.s, p.px, y, color))
  })
  out.push("</svg>")
  return out.join("\n") + "\n"
}
