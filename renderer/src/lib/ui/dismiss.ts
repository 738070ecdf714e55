// A popover that closes as people expect (issue 14, bug 10): on Escape, and on a click anywhere
// outside the element (put it on the wrapper that holds both the toggle and the popover, so the
// toggle's own click is not an outside click).
export function dismiss(node: HTMLElement, onclose: () => void) {
  let close = onclose;
  const key = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.stopPropagation();
    close();
  };
  const down = (e: PointerEvent) => {
    if (!node.contains(e.target as Node)) close();
  };
  document.addEventListener('keydown', key, true);
  document.addEventListener('pointerdown', down, true);
  return {
    update(next: () => void) {
      close = next;
    },
    destroy() {
      document.removeEventListener('keydown', key, true);
      document.removeEventListener('pointerdown', down, true);
    },
  };
}
