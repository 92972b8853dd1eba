/**
 * Tax ids (v2 `basic_info.tax_info`): encrypted as one value per customer, and shown masked. The masked form is
 * computed once, when the value is sealed, so reading a customer never needs the key.
 */
import type { FieldCipher } from './field-encryption';

export interface TaxId {
  country_code: string;
  document_type: string;
  document_id: string;
}

export interface SealedTaxIds {
  encrypted: string;
  /** The ids with all but the last four characters of each document id hidden (all of them when it is short). */
  masked: TaxId[];
}

export const TAX_ID_PURPOSE = 'tax-ids';

export function maskTaxId(documentId: string): string {
  return documentId.length <= 6 ? '****' : `****${documentId.slice(-4)}`;
}

const rowContext = (tenantId: string, customerId: string) => `${tenantId}/${customerId}`;

export function sealTaxIds(cipher: FieldCipher, tenantId: string, customerId: string, taxIds: TaxId[]): SealedTaxIds {
  return {
    encrypted: cipher.encrypt(JSON.stringify(taxIds), rowContext(tenantId, customerId)),
    masked: taxIds.map((taxId) => ({ ...taxId, document_id: maskTaxId(taxId.document_id) })),
  };
}

export function openTaxIds(cipher: FieldCipher, tenantId: string, customerId: string, encrypted: string): TaxId[] {
  return JSON.parse(cipher.decrypt(encrypted, rowContext(tenantId, customerId))) as TaxId[];
}
