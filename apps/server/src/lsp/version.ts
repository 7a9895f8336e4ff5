/** The gopls setup installs into the data folder's bin (`go install`), the release this Go supports. */
export const GOPLS_MODULE = 'golang.org/x/tools/gopls';
export const GOPLS_VERSION = 'v0.23.0';
