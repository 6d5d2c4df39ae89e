/**
 * Pure renderers: plan, apply result and drift report to text, markdown and JSON strings.
 */
export { renderPlanText, renderPlansText, type RenderTextOptions } from './render-plan-text.js';
export { renderPlanMarkdown, renderPlansMarkdown, type RenderMarkdownOptions } from './render-plan-markdown.js';
export { renderPlanJson } from './render-plan-json.js';
export { renderApplyText, renderApplyJson } from './render-apply.js';
export { renderDriftText, renderDriftMarkdown, renderDriftJson } from './render-drift.js';
