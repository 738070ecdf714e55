// The main window's size and position, saved on close and restored on start. A saved position
// that no display shows any more (a monitor was unplugged) is dropped, keeping the size.

export interface WindowBounds {
  width: number;
  height: number;
  x?: number;
  y?: number;
}

export interface WindowState extends WindowBounds {
  maximized: boolean;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 800, maximized: false };

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** At least this much of the title bar must be on some display's work area. */
const MIN_VISIBLE = 64;

function visibleOn(b: Rect, d: Rect): boolean {
  const w = Math.min(b.x + b.width, d.x + d.width) - Math.max(b.x, d.x);
  const h = Math.min(b.y + 32, d.y + d.height) - Math.max(b.y, d.y);
  return w >= MIN_VISIBLE && h > 0;
}

/** A saved state (any JSON) made safe for the current displays' work areas. */
export function restoreWindowState(saved: unknown, workAreas: Rect[]): WindowState {
  const s = (saved && typeof saved === 'object' ? saved : {}) as Record<string, unknown>;
  const largest = workAreas.reduce<Rect | undefined>((a, d) => (!a || d.width * d.height > a.width * a.height ? d : a), undefined);
  const maxW = largest?.width ?? Infinity;
  const maxH = largest?.height ?? Infinity;
  const width = num(s.width) && s.width >= 400 ? Math.min(Math.round(s.width), maxW) : Math.min(DEFAULT_WINDOW_STATE.width, maxW);
  const height = num(s.height) && s.height >= 300 ? Math.min(Math.round(s.height), maxH) : Math.min(DEFAULT_WINDOW_STATE.height, maxH);
  const state: WindowState = { width, height, maximized: s.maximized === true };
  if (num(s.x) && num(s.y)) {
    const b = { x: Math.round(s.x), y: Math.round(s.y), width, height };
    if (workAreas.some((d) => visibleOn(b, d))) Object.assign(state, { x: b.x, y: b.y });
  }
  return state;
}

/** What to save: the normal (un-maximized) bounds, so un-maximizing after a restart works. */
export const windowStateToSave = (normalBounds: Rect, maximized: boolean): WindowState => ({ ...normalBounds, maximized });
