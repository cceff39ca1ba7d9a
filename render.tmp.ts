import { createViews } from './src/web/plugins/views'
const views = createViews()
const user = { id: 'u', name: 'Test User', orgName: 'Avon and Somerset Constabulary', orgCode: 'avon', orgKind: 'police_force', roles: ['investigator'] }
const items = Array.from({ length: 25 }, (_, i) => ({ id: `id-${i}`, urn: `52AB${i}`, crimeReference: `CR/${i}`, forceCode: 'avon', stage: 'investigation', reportedOn: '2026-01-01', updatedAt: new Date(), offenceCodes: ['19C'], restricted: false }))
const locals = { title: 'My cases', section: 'cases', query: { sort: 'updated', direction: 'desc', page: 1 }, errors: {}, errorList: [], result: { items, total: 7840, page: 1, pages: 314 }, stageItems: [{ value: '', text: 'All stages' }], headers: [{ text: 'URN', href: '/x', ariaSort: 'none' }], previous: null, next: '/cases?page=2', user, csrfToken: 'x', cspNonce: 'n', canSeeCases: true, canRecordReport: true, isAdmin: false, canSeeAdvocates: false }
for (let i = 0; i < 200; i++) views.render('cases/list.njk', locals)
let t = performance.now(); const N = 1000
for (let i = 0; i < N; i++) views.render('cases/list.njk', locals)
console.log('list render ms', ((performance.now() - t) / N).toFixed(3))
t = performance.now()
for (let i = 0; i < N; i++) views.render('error.njk', { title: 'x', paragraphs: ['a'], user, csrfToken: 'x', cspNonce: 'n', canSeeCases: true })
console.log('error page render ms', ((performance.now() - t) / N).toFixed(3))
