import type { AppInput } from '@patchbay/core';

/** The shop as Patchbay sees it: who calls whom, and how often (calls per second). */
export const shopModel: AppInput = {
  name: 'shop',
  databases: [{ name: 'main' }],
  services: [
    {
      name: 'web',
      public: true,
      calls: [{ service: 'cart', weight: 40 }, { service: 'catalog', weight: 120 }, 'orders'],
    },
    { name: 'cart', calls: [{ service: 'catalog', weight: 40 }] },
    { name: 'catalog', databases: ['main'] },
    {
      name: 'orders',
      calls: [
        { service: 'cart', weight: 2 },
        { service: 'catalog', weight: 2 },
      ],
      databases: ['main'],
    },
  ],
};
