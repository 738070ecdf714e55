// Short notices (a run was submitted, a copy succeeded) and errors from the core, shown in one corner.
export interface Toast {
  id: number;
  kind: 'info' | 'error';
  text: string;
}

export class Toasts {
  items = $state<Toast[]>([]);
  private seq = 0;

  show(text: string, kind: Toast['kind'] = 'info', ms = kind === 'error' ? 8000 : 3500): void {
    const id = ++this.seq;
    this.items = [...this.items, { id, kind, text }];
    setTimeout(() => this.dismiss(id), ms);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

export const toasts = new Toasts();
