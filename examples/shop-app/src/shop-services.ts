import type { Handlers } from './service-client.js';

const products: Record<string, { name: string; price: number }> = {
  p1: { name: 'Patch cable', price: 4 },
  p2: { name: 'Patch bay', price: 120 },
};

/** In-memory carts, per process (a real shop keeps them in the database). */
const carts = new Map<string, string[]>();

/**
 * The shop's business code. It calls other services only through `client.call`, never by import, so
 * it runs the same whether they share its process or not.
 */
export const shopServices: Handlers = {
  catalog: {
    async price(input) {
      const { product } = input as { product: string };
      const found = products[product];
      if (!found) throw new Error(`unknown product ${product}`);
      return found;
    },
  },
  cart: {
    async add(input, client) {
      const { cart, product } = input as { cart: string; product: string };
      await client.call('catalog', 'price', { product }); // refuse unknown products
      const items = carts.get(cart) ?? [];
      items.push(product);
      carts.set(cart, items);
      return { items };
    },
    async items(input) {
      return { items: carts.get((input as { cart: string }).cart) ?? [] };
    },
  },
  orders: {
    async place(input, client) {
      const { cart } = input as { cart: string };
      const { items } = (await client.call('cart', 'items', { cart })) as { items: string[] };
      let total = 0;
      for (const product of items)
        total += ((await client.call('catalog', 'price', { product })) as { price: number }).price;
      return { cart, items, total };
    },
  },
  web: {
    async checkout(input, client) {
      const { cart, products: wanted } = input as { cart: string; products: string[] };
      for (const product of wanted) await client.call('cart', 'add', { cart, product });
      return client.call('orders', 'place', { cart });
    },
  },
};
