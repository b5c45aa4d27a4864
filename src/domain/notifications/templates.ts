/**
 * The customer notice's words per locale (issue 16: "templates per tenant and locale, en and de at
 * least"). A tenant overrides or adds a locale in settings notifications.customer.templates; the
 * subject and body are templates with {{placeholders}}, the phrases name what changed.
 */
export interface NoticeTemplate {
  subject: string;
  body: string;
}

/** The phrases that list what changed; {{…}} are filled per line or field. */
export interface NoticePhrases {
  added: string;
  removed: string;
  quantity: string;
  price: string;
  replaced: string;
  weight: string;
  address: string;
  deliveryDate: string;
  deliveryWindow: string;
  handoverDate: string;
  discount: string;
  canceled: string;
  charge: string;
  refund: string;
  noMoney: string;
}

export const BUILT_IN_TEMPLATES: Record<string, NoticeTemplate> = {
  en: {
    subject: 'Your order {{orderRef}} was changed',
    body: 'Hello {{customerName}},\n\nwe changed your order {{orderRef}}:\n{{changes}}\n\nNew total: {{total}}\n{{money}}\n\nKind regards\n{{tenantName}}',
  },
  de: {
    subject: 'Ihre Bestellung {{orderRef}} wurde geändert',
    body: 'Hallo {{customerName}},\n\nwir haben Ihre Bestellung {{orderRef}} geändert:\n{{changes}}\n\nNeue Summe: {{total}}\n{{money}}\n\nFreundliche Grüße\n{{tenantName}}',
  },
};

export const PHRASES: Record<string, NoticePhrases> = {
  en: {
    added: 'added: {{quantity}} × {{name}}',
    removed: 'removed: {{name}}',
    quantity: '{{name}}: quantity {{old}} → {{new}}',
    price: '{{name}}: unit price {{old}} → {{new}}',
    replaced: '{{old}} replaced by {{quantity}} × {{name}}',
    weight: '{{name}}: weight {{old}} → {{new}}',
    address: 'shipping address: {{new}}',
    deliveryDate: 'delivery date: {{new}}',
    deliveryWindow: 'delivery window: {{new}}',
    handoverDate: 'hand-over date: {{new}}',
    discount: 'discount: {{new}}',
    canceled: 'the order was canceled',
    charge: 'We will charge {{amount}} to your {{method}}.',
    refund: 'We will refund {{amount}} to your {{method}}.',
    noMoney: 'Your payment does not change.',
  },
  de: {
    added: 'hinzugefügt: {{quantity}} × {{name}}',
    removed: 'entfernt: {{name}}',
    quantity: '{{name}}: Menge {{old}} → {{new}}',
    price: '{{name}}: Stückpreis {{old}} → {{new}}',
    replaced: '{{old}} ersetzt durch {{quantity}} × {{name}}',
    weight: '{{name}}: Gewicht {{old}} → {{new}}',
    address: 'Lieferadresse: {{new}}',
    deliveryDate: 'Liefertermin: {{new}}',
    deliveryWindow: 'Lieferfenster: {{new}}',
    handoverDate: 'Übergabetermin: {{new}}',
    discount: 'Rabatt: {{new}}',
    canceled: 'die Bestellung wurde storniert',
    charge: 'Wir belasten {{amount}} über {{method}}.',
    refund: 'Wir erstatten {{amount}} über {{method}}.',
    noMoney: 'Ihre Zahlung ändert sich nicht.',
  },
};

/** `{{name}}` → value; an unknown placeholder stays visible rather than vanishing silently. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (all, key: string) =>
    key in values ? String(values[key]) : all,
  );
}
