export {
  exportBookmarkName,
  runExport,
  type ExportClient,
  type ExportOptions,
  type ExportResult,
} from './run-export.js';
export { runExports, type ExportRunSummary } from './run-exports.js';
export { buildExportLayout, LABEL_SUFFIX, UDF_PREFIX, type ExportLayout } from './export-layout.js';
export { CHANGE_FIELDS } from './change-cursor.js';
