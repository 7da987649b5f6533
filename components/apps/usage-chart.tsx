import type { UsageDay } from "@/lib/data/usage";
import { ScrollRegion } from "@/components/ui/scroll-region";

const WIDTH = 720;
const HEIGHT = 180;
const PAD = { top: 12, right: 8, bottom: 24, left: 40 };

function niceMax(value: number): number {
  if (value <= 4) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s * 4 >= value) ?? 10 * magnitude;
  return step * 4;
}

const label = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });

export function UsageChart({ days }: { days: UsageDay[] }) {
  const max = niceMax(Math.max(0, ...days.map((d) => d.tokens)));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, days.length);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(max * f));
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;

  return (
    <figure>
      <ScrollRegion label="Usage chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="h-auto w-full min-w-[36rem]" role="img" aria-label="Tokens issued per day, last 30 days">
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} className="stroke-slate-200 dark:stroke-slate-700" strokeWidth={1} />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" className="fill-slate-500 dark:fill-slate-400 text-[12px]">{t}</text>
          </g>
        ))}
        {days.map((d, i) => {
          const h = (d.tokens / max) * plotH;
          const x = PAD.left + i * slot + slot * 0.15;
          return (
            <g key={d.day}>
              <rect x={x} y={PAD.top + plotH - h} width={slot * 0.7} height={Math.max(h, d.tokens ? 1 : 0)} rx={2} className="fill-brand-500" data-day={d.day} data-tokens={d.tokens}>
                <title>{`${label(d.day)}: ${d.tokens} token${d.tokens === 1 ? "" : "s"}`}</title>
              </rect>
              {(days.length - 1 - i) % 7 === 0 && (
                <text x={x + slot * 0.35} y={HEIGHT - 6} textAnchor="middle" className="fill-slate-500 dark:fill-slate-400 text-[12px]">{label(d.day)}</text>
              )}
            </g>
          );
        })}
      </svg>
      </ScrollRegion>
      <figcaption className="sr-only">
        <table>
          <caption>Tokens issued per day</caption>
          <tbody>
            {days.map((d) => (
              <tr key={d.day}><th scope="row">{d.day}</th><td>{d.tokens}</td></tr>
            ))}
          </tbody>
        </table>
      </figcaption>
    </figure>
  );
}
