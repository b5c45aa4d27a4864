/**
 * A product search box (issue 17) for adding and substituting: name or sku, price, what is in stock
 * at the order's facility, the line's allowed substitutes first. A combobox in the ARIA pattern
 * (WAI-ARIA APG "combobox with listbox popup"): arrows move, Enter picks, Escape closes the list.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { get } from '../api';
import { money } from '../format';
import type { Page } from '../api/client';

export interface FoundProduct {
  sku: string;
  name: string;
  unitPrice: number;
  currency: string;
  available: number | null;
}

export function ProductSearch({
  label,
  facilityId,
  first = [],
  picked,
  onPick,
  placeholder = 'Search by name or SKU',
  hideLabel,
}: {
  hideLabel?: boolean;
  label: string;
  facilityId: string | null;
  /** Skus listed first and marked (a line's allowed substitutes). */
  first?: readonly string[];
  picked: FoundProduct | null;
  onPick: (p: FoundProduct | null) => void;
  placeholder?: string;
}) {
  const id = useId();
  const [text, setText] = useState(picked?.name ?? '');
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<FoundProduct[]>([]);
  const [active, setActive] = useState(-1);
  const [failed, setFailed] = useState(false);
  const firstKey = first.join(',');
  const asked = useRef(0);

  useEffect(() => {
    if (!open) return;
    const n = ++asked.current;
    const q = picked && text === picked.name ? '' : text.trim();
    const timer = setTimeout(() => {
      const params = new URLSearchParams({ q, limit: '8' });
      if (facilityId) params.set('facilityId', facilityId);
      if (firstKey) params.set('first', firstKey);
      get<Page<FoundProduct>>(`/v1/products?${params}`).then(
        (page) => {
          if (n !== asked.current) return;
          setItems(page.items);
          setFailed(false);
          setActive(page.items.length ? 0 : -1);
        },
        () => n === asked.current && setFailed(true),
      );
    }, 150);
    return () => clearTimeout(timer);
  }, [text, open, facilityId, firstKey, picked]);

  const choose = (p: FoundProduct) => {
    onPick(p);
    setText(p.name);
    setOpen(false);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (!open) setOpen(true);
      else setActive((a) => Math.min(items.length - 1, a + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (e.key === 'Enter' && open && items[active]) {
      e.preventDefault();
      choose(items[active]);
    } else if (e.key === 'Escape' && open) {
      // The list closes; the dialog around it stays.
      e.stopPropagation();
      e.nativeEvent.stopImmediatePropagation();
      setOpen(false);
    }
  };
  const stock = (p: FoundProduct) =>
    p.available === null ? '' : p.available > 0 ? `${p.available} in stock` : 'out of stock';
  const listId = `${id}-list`;
  return (
    <div className="combo">
      <label htmlFor={`${id}-input`} className={hideLabel ? 'sr-only' : undefined}>
        {label}
      </label>
      <input
        id={`${id}-input`}
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && active >= 0 ? `${id}-opt-${active}` : undefined}
        autoComplete="off"
        placeholder={placeholder}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          if (picked) onPick(null);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKey}
      />
      <ul
        id={listId}
        role="listbox"
        aria-label={`${label}: results`}
        className="combo-list"
        hidden={!open}
      >
        {failed && <li className="muted small">The catalogue could not be searched.</li>}
        {!failed && items.length === 0 && <li className="muted small">No product matches.</li>}
        {items.map((p, i) => (
          <li
            key={p.sku}
            id={`${id}-opt-${i}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'active' : undefined}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => choose(p)}
          >
            <span className="combo-name">
              {p.name}
              {first.includes(p.sku) && <span className="tag">allowed substitute</span>}
            </span>
            <span className="small muted">
              {p.sku} · {money(p.unitPrice, p.currency)}
              {stock(p) && ` · ${stock(p)}`}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
