import type { SinkColumn, SinkRow } from '../../../../src/connectors/sinks/index.js';

export const COLUMNS: SinkColumn[] = [
  { name: 'id', type: 'integer' },
  { name: 'companyName', type: 'string' },
  { name: 'companyType', type: 'integer' },
  { name: 'companyType_label', type: 'string' },
  { name: 'isActive', type: 'boolean' },
  { name: 'lastActivityDate', type: 'datetime' },
  { name: 'udf_Customer Ranking', type: 'string' },
  { name: 'udf_Revenue', type: 'decimal' },
];

export const ROWS: SinkRow[] = [
  {
    id: 1,
    companyName: 'Acme, "Inc"',
    companyType: 1,
    companyType_label: 'Customer',
    isActive: true,
    lastActivityDate: '2026-11-27T10:00:00Z',
    'udf_Customer Ranking': 'Gold',
    udf_Revenue: 12.5,
  },
  {
    id: 2,
    companyName: '=cmd|calc',
    companyType: 3,
    companyType_label: 'Prospect',
    isActive: false,
    lastActivityDate: null,
    'udf_Customer Ranking': null,
    udf_Revenue: '',
  },
];
