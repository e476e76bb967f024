export * from './execute-query.js';
