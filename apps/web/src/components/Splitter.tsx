// A draggable divider between two panes (pointer drag or arrow keys). What it
// sets is held to the panes' minimums in the container's current size, as the
// grid's tracks hold what is shown (lib/split.ts): a drag or an arrow key moves
// the divider from where it is drawn, never from a stored fraction that this
// window has no room for.
import { useRef } from 'react';
import { fractionWithin, type Minimums } from '../lib/split';

interface Props {
  direction: 'vertical' | 'horizontal';
  /** Current fraction of the container taken by the first pane. */
  value: number;
  onChange: (fraction: number) => void;
  label: string;
  /** The least size of the first and the second pane, in px (the grid's tracks use the same). */
  min: Minimums;
}

export function Splitter({ direction, value, onChange, label, min }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const sizeOf = (rect: DOMRect) => (direction === 'vertical' ? rect.width : rect.height);
  const onPointerDown = (e: React.PointerEvent) => {
    const parent = ref.current?.parentElement;
    if (!parent) return;
    e.preventDefault();
    const rect = parent.getBoundingClientRect();
    const move = (ev: PointerEvent) => {
      const f = direction === 'vertical' ? (ev.clientX - rect.left) / rect.width : (ev.clientY - rect.top) / rect.height;
      onChange(fractionWithin(f, sizeOf(rect), min));
    };
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      document.body.classList.remove('dragging');
    };
    document.body.classList.add('dragging');
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    const back = direction === 'vertical' ? 'ArrowLeft' : 'ArrowUp';
    const fwd = direction === 'vertical' ? 'ArrowRight' : 'ArrowDown';
    const rect = ref.current?.parentElement?.getBoundingClientRect();
    if ((e.key !== back && e.key !== fwd) || !rect) return;
    e.preventDefault(); // the arrows move the divider, not the page
    const size = sizeOf(rect);
    onChange(fractionWithin(fractionWithin(value, size, min) + (e.key === back ? -0.02 : 0.02), size, min));
  };
  return (
    <div
      ref={ref}
      className={`splitter ${direction}`}
      role="separator"
      aria-orientation={direction}
      aria-label={label}
      aria-valuenow={Math.round(value * 100)}
      aria-valuemin={0}
      aria-valuemax={100}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
    />
  );
}
