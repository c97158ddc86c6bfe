/**
 * The page's only script, inline: the kind filter, and live updates while the incident is open
 * (an EventSource on /incidents/:id/events: new timeline rows are appended to the last page, the
 * header, chart, diagnosis and paging sections are replaced). Without it the page still works.
 */
export const PAGE_SCRIPT = `(function(){
var filter=document.getElementById('kind-filter');
if(filter){filter.addEventListener('change',function(){var u=new URL(location.href);u.searchParams.delete('page');if(filter.value){u.searchParams.set('kind',filter.value)}else{u.searchParams.delete('kind')}location.href=u.toString()})}
var url=document.body.getAttribute('data-events');if(!url||!window.EventSource)return;
var rows=document.getElementById('timeline-rows');var state=document.getElementById('live-state');
var es=new EventSource(url);
es.addEventListener('entry',function(e){var d=JSON.parse(e.data);if(!rows||rows.getAttribute('data-live')!=='yes')return;
var kinds=rows.getAttribute('data-kinds');if(kinds&&kinds.split(',').indexOf(d.kind)<0)return;
if(rows.querySelector('tr[data-id="'+d.id+'"]'))return;var t=document.createElement('tbody');t.innerHTML=d.html;var tr=t.firstElementChild;if(tr){tr.className='fresh';rows.appendChild(tr)}});
es.addEventListener('sections',function(e){var d=JSON.parse(e.data);for(var k in d){var el=document.getElementById(k);if(el)el.innerHTML=d[k]}});
es.addEventListener('closed',function(){es.close();if(state)state.textContent='closed: this page no longer updates'});
es.onopen=function(){if(state)state.textContent='live'};
es.onerror=function(){if(state)state.textContent='reconnecting…'};
})();`;
