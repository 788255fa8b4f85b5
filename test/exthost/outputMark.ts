/**
 * The workbench forwards all of its console output (plenty of it) to the extension-host runner; lines the
 * suites print (mocha's reporter and the tests' console calls) start with this mark, so the runner shows
 * only those and files the rest under client.log.
 */
export const OUTPUT_MARK = '\u27e6tandem\u27e7 ';
