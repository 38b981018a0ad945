// A dependency-free interactive API reference: reads /openapi.json and lets you try every operation in place.
/** `nonce`: the response's CSP nonce (the inline style and script carry it; no inline handlers or style attributes). */
export function docsPage(nonce: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Bookra API reference</title>
<style nonce="${nonce}">
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2330;background:#f7f8fa}
header{background:#1d2330;color:#fff;padding:16px 24px}header h1{margin:0;font-size:20px}
main{max-width:980px;margin:0 auto;padding:16px 24px}
label{display:block;font-size:13px;margin:6px 0 2px}input,textarea{width:100%;box-sizing:border-box;font:13px ui-monospace,monospace;padding:6px;border:1px solid #c7ccd6;border-radius:6px}
details{background:#fff;border:1px solid #dde1e8;border-radius:8px;margin:8px 0;padding:8px 12px}
summary{cursor:pointer;font-weight:600}.m{display:inline-block;min-width:58px;font:12px ui-monospace,monospace;text-transform:uppercase;padding:2px 6px;border-radius:4px;color:#fff;margin-right:8px;text-align:center}
.get{background:#2f7d32}.post{background:#1565c0}.patch{background:#8e5b00}.put{background:#6a1b9a}.delete{background:#b71c1c}
pre{background:#11151c;color:#e4e8ef;padding:10px;border-radius:6px;overflow:auto;max-height:360px;font-size:12px}
button{background:#1565c0;color:#fff;border:0;border-radius:6px;padding:7px 14px;margin-top:8px;cursor:pointer}
h2{margin-top:28px}header a{color:#9cc3ff}
</style></head><body>
<header><h1>Bookra API reference</h1><div>Generated from <a href="/openapi.json">/openapi.json</a></div></header>
<main>
<label for="key">Secret API key for admin routes (kept in this page only)</label><input id="key" placeholder="sk_…" autocomplete="off">
<div id="ops">Loading…</div></main>
<script nonce="${nonce}">
const el=(t,a={},...c)=>{const e=document.createElement(t);for(const[k,v]of Object.entries(a))k==="class"?e.className=v:e.setAttribute(k,v);for(const x of c)e.append(x);return e};
function resolve(spec,s){return s&&s.$ref?spec.components.schemas[s.$ref.split("/").pop()]:s}
function sample(spec,s,d=0){s=resolve(spec,s);if(!s||d>5)return null;if(s.example!==undefined)return s.example;
if(s.anyOf||s.oneOf)return sample(spec,(s.anyOf||s.oneOf)[0],d+1);
if(s.type==="object"||s.properties){const o={};for(const[k,v]of Object.entries(s.properties||{}))if((s.required||[]).includes(k))o[k]=sample(spec,v,d+1);return o}
if(s.type==="array")return[sample(spec,s.items,d+1)];if(s.type==="integer"||s.type==="number")return s.minimum??0;if(s.type==="boolean")return false;return s.enum?s.enum[0]:"string"}
fetch("/openapi.json").then(r=>r.json()).then(spec=>{const root=document.getElementById("ops");root.textContent="";const byTag={};
for(const[path,item]of Object.entries(spec.paths))for(const[method,op]of Object.entries(item)){const tag=(op.tags||["Other"])[0];(byTag[tag]??=[]).push({path,method,op})}
for(const[tag,ops]of Object.entries(byTag)){root.append(el("h2",{},tag));for(const{path,method,op}of ops){
const d=el("details"),s=el("summary",{},el("span",{class:"m "+method},method),path);d.append(s);if(op.summary)d.append(el("p",{},op.summary));
const inputs={};for(const p of op.parameters||[]){const id="p"+Math.random().toString(36).slice(2);const i=el("input",{id,placeholder:(p.schema&&p.schema.example)||""});inputs[p.name]={p,i};d.append(el("label",{for:id},p.name+" ("+p.in+(p.required?", required":"")+")"),i)}
let body;const bs=op.requestBody&&op.requestBody.content["application/json"];if(bs){const id="b"+Math.random().toString(36).slice(2);body=el("textarea",{id,rows:"8"});body.value=JSON.stringify(sample(spec,bs.schema),null,2);d.append(el("label",{for:id},"JSON body"),body)}
const out=el("pre");const btn=el("button",{type:"button"},"Send");d.append(btn,out);
btn.onclick=async()=>{let url=path;const q=new URLSearchParams();for(const[n,{p,i}]of Object.entries(inputs)){if(!i.value)continue;if(p.in==="path")url=url.replace("{"+n+"}",encodeURIComponent(i.value));else if(p.in==="query")q.set(n,i.value)}
const h={};const key=document.getElementById("key").value.trim();if(key&&path.startsWith("/v1/admin"))h.Authorization="Bearer "+key;if(body)h["Content-Type"]="application/json";
const r=await fetch(url+(q.size?"?"+q:""),{method:method.toUpperCase(),headers:h,body:body?body.value:undefined});const t=await r.text();let pretty=t;try{pretty=JSON.stringify(JSON.parse(t),null,2)}catch{}out.textContent=r.status+" "+r.statusText+"\\n"+pretty};
root.append(d)}}}).catch(e=>{document.getElementById("ops").textContent="Could not load /openapi.json: "+e});
</script></body></html>`;
}
