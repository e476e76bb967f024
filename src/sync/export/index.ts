export {
  exportBookmarkName,
  runExport,
  type ExportClient,
  type ExportOptions,
  type ExportProgress,
  type ExportResult,
} from './run-export.js';
export { runExports, type ExportRunSummary } from './run-exports.js';
export {
  buildExportLayout,
  LABEL_SUFFIX,
  UDF_PREFIX,
  typedValue,
  type ExportLayout,
  type ExportLayoutOptions,
} from './export-layout.js';
export { CHANGE_FIELDS } from './change-cursor.js';
export { type DeletionScan } from './deletion-scan.js';
export { exportDeletionsSchema, DELETION_ACTIONS, type ExportDeletionsSpec } from './deletions-spec.js';
