import { describe, expect, it } from 'vitest';

import {
  compileMapping,
  lintSourceColumns,
  type CompiledMapping,
} from '../../../../src/sync/mapping/index.js';
import { contactMetadata } from '../../../helpers/metadata-fixtures.js';

function mapping(): CompiledMapping {
  const r = compileMapping(
    'Contact',
    {
      companyID: { column: 'Company', ref: 'Company' },
      firstName: 'First Name',
      lastName: 'last name',
      emailAddress: 'Emial',
      title: { template: '{Role} ({Dept})' },
    },
    contactMetadata,
    { path: 'syncs[1]' },
  );
  if (!r.ok) throw new Error(JSON.stringify(r.findings));
  return r.mapping;
}

describe('lintSourceColumns', () => {
  it('reports every column read that the source lacks, with the closest header', () => {
    const findings = lintSourceColumns({
      mapping: mapping(),
      where: {
        all: [
          { column: 'Status', eq: 'x' },
          { column: 'Email', notEmpty: true },
        ],
      },
      columns: ['Company', 'First Name', 'Last Name', 'Email', 'Role', 'Department'],
      sourceName: 'contacts.csv',
      path: 'syncs[1]',
    });
    expect(findings.map((f) => [f.path, f.message, f.fix])).toEqual([
      [
        'syncs[1].fields.lastName.column',
        '"last name" is not a column of contacts.csv',
        'column names are case-sensitive: write "Last Name"',
      ],
      [
        'syncs[1].fields.emailAddress.column',
        '"Emial" is not a column of contacts.csv',
        'Did you mean "Email"?',
      ],
      [
        'syncs[1].fields.title.template',
        '"Dept" is not a column of contacts.csv',
        'columns are: Company, First Name, Last Name, Email, Role, Department', // an abbreviation is not a typo
      ],
      [
        'syncs[1].where',
        '"Status" is not a column of contacts.csv',
        'columns are: Company, First Name, Last Name, Email, Role, Department',
      ],
    ]);
  });

  it('finds nothing when every column exists', () => {
    const findings = lintSourceColumns({
      mapping: mapping(),
      columns: ['Company', 'First Name', 'last name', 'Emial', 'Role', 'Dept'],
      sourceName: 'contacts.csv',
    });
    expect(findings).toEqual([]);
  });
});
