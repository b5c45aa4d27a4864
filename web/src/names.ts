/** The tenant's people by id, read once per page load: sentences name people, never their ids. */
import { useEffect, useState } from 'react';
import { get } from './api';
import type { Page } from './api/client';

let people: Promise<Map<string, string>> | null = null;

export function usePeople(): Map<string, string> {
  const [known, setKnown] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    people ??= get<Page<{ id: string; name: string }>>('/v1/users').then(
      (p) => new Map(p.items.map((u) => [u.id, u.name])),
      () => new Map(),
    );
    let live = true;
    void people.then((m) => live && setKnown(m));
    return () => {
      live = false;
    };
  }, []);
  return known;
}

let products: Promise<Map<string, string>> | null = null;

/** Product names by sku, for sentences about items not on the order (yet): "Add 12 × Red wine". */
export function useProductNames(): Map<string, string> {
  const [known, setKnown] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    products ??= get<Page<{ sku: string; name: string }>>('/v1/products').then(
      (p) => new Map(p.items.map((x) => [x.sku, x.name])),
      () => new Map(),
    );
    let live = true;
    void products.then((m) => live && setKnown(m));
    return () => {
      live = false;
    };
  }, []);
  return known;
}
