// A draggable divider between two panes (pointer drag or arrow keys).
import { useRef } from 'react';

interface Props {
  direction: 'vertical' | 'horizontal';
  /** Current fraction of the container taken by the first pane. */
  value: number;
  onChange: (fraction: number) => void;
  label: string;
}

export function Splitter({ direction, value, onChange, label }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const onPointerDown = (e: React.PointerEvent) => {
    const parent = ref.current?.parentElement;
    if (!parent) return;
    e.preventDefault();
    const rect = parent.getBoundingClientRect();
    const move = (ev: PointerEvent) => {
      const f = direction === 'vertical' ? (ev.clientX - rect.left) / rect.width : (ev.clientY - rect.top) / rect.height;
      onChange(f);
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
    if (e.key !== back && e.key !== fwd) return;
    e.preventDefault(); // the arrows move the divider, not the page
    onChange(value + (e.key === back ? -0.02 : 0.02));
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
