const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/** Numbers, bytes, rates and durations formatted with `Intl` for one locale. */
export interface Formats {
  /** 0..100 → "45%" (floored: 99.9 is not "100%"). */
  percent(value: number): string;
  /** 1234567 → "1.2 MB" (decimal units, as the unit names say). */
  bytes(value: number): string;
  /** Bytes per second → "1.2 MB/s". */
  rate(value: number): string;
  /** Seconds → "20 sec", "3 min", "1.5 hr". */
  duration(seconds: number): string;
}

const cache = new Map<string, Formats>();

/** A byte count rounded as {@link Formats.bytes} shows it (3 figures), so equal texts share a key. */
const shown = (value: number): number => {
  if (value < 1000) return Math.round(value);
  const step = 1000 ** Math.min(4, Math.floor(Math.log10(value) / 3)) / 10;
  return Math.round(value / step) * step;
};

/**
 * `format` with its last few hundred answers kept: `Intl` formatting was the largest single
 * cost of a frame (~40 ms a second at 1,000 rows), and rows show the same figures frame after
 * frame. `key` rounds the input first where the output cannot tell the difference.
 */
function remember(format: (value: number) => string, key = (value: number) => value) {
  const memo = new Map<number, string>();
  return (value: number): string => {
    const k = key(value);
    let text = memo.get(k);
    if (text === undefined) {
      if (memo.size > 500) memo.clear();
      memo.set(k, (text = format(k)));
    }
    return text;
  };
}

/** The (cached) formats of a locale; `undefined` means the browser's. */
export function formats(locale: string | undefined): Formats {
  const key = locale ?? '';
  let found = cache.get(key);
  if (found) return found;
  const make = (options: Intl.NumberFormatOptions) => {
    try {
      return new Intl.NumberFormat(locale, options);
    } catch {
      // An invalid locale tag must not break rendering.
      return new Intl.NumberFormat(undefined, options);
    }
  };
  const memo = new Map<string, Intl.NumberFormat>();
  const unit = (name: string, value: number, digits: number) => {
    let format = memo.get(name + digits);
    if (!format) {
      format = make({
        style: 'unit',
        unit: name,
        unitDisplay: name === 'byte' ? 'long' : 'short',
        maximumFractionDigits: digits,
      });
      memo.set(name + digits, format);
    }
    return format.format(value);
  };
  const scaled = (value: number, suffix: string) => {
    const i = value < 1000 ? 0 : Math.min(4, Math.floor(Math.log10(value) / 3));
    return unit(UNITS[i] + suffix, value / 1000 ** i, i ? 1 : 0);
  };
  const percent = make({style: 'percent', maximumFractionDigits: 0});
  found = {
    percent: remember((value) => percent.format(value / 100), Math.floor),
    bytes: remember((value) => scaled(value, ''), shown),
    rate: remember((value) => scaled(value, '-per-second'), shown),
    duration: remember((s) =>
      s < 60
        ? unit('second', Math.ceil(s), 0)
        : s < 3600
          ? unit('minute', Math.ceil(s / 60), 0)
          : unit('hour', s / 3600, 1),
    ),
  };
  cache.set(key, found);
  return found;
}

/**
 * Makes the page's formats in the browser's first idle moment: the first `Intl.NumberFormat`
 * of a page costs ~25 ms in Chromium (ICU's set-up), which would otherwise fall in the task
 * that first connects an element (often the one that opens the modal). Called as the
 * elements are defined; where there is no `requestIdleCallback`, the connect makes them.
 */
export function warmFormatsWhenIdle(): void {
  globalThis.requestIdleCallback?.(() => warmFormats(undefined));
}

/** Makes the formats a first render needs, ahead of it. */
export function warmFormats(locale: string | undefined): void {
  const f = formats(locale || document.documentElement.lang || undefined);
  f.percent(0);
  f.bytes(0);
  f.bytes(1e6);
}
