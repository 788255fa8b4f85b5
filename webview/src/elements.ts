// The vscode-elements controls this view uses, imported one by one: the package's index registers every
// element it has (~200 KB minified), deep imports keep only these.
export { default as VscodeBadge } from '@vscode-elements/react-elements/dist/components/VscodeBadge.js';
export { default as VscodeButton } from '@vscode-elements/react-elements/dist/components/VscodeButton.js';
