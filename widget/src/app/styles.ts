// The widget's only stylesheet, adopted by every shadow root. `:host { all: initial !important }` cuts the host
// page's inherited styles off (inner !important beats outer !important); sizes are in px, never rem, because rem
// follows the host page's root font size. Host overrides: --bookra-primary, -on-primary, -accent, -radius, -font,
// -bg, -text on the container.
const LIGHT =
  "--bg:var(--bookra-bg,#fff);--fg:var(--bookra-text,#1f2937);--mu:#4b5563;--bd:#d1d5db;--sf:#f3f4f6;--err:#b91c1c;--pt:var(--p)";
const DARK =
  "--bg:var(--bookra-bg,#111827);--fg:var(--bookra-text,#f3f4f6);--mu:#a1a9b8;--bd:#374151;--sf:#1f2937;--err:#fca5a5;--pt:color-mix(in srgb,var(--p) 50%,#fff)";

export const CSS = `
:host{all:initial!important;display:block!important;position:relative!important}
:host([hidden]){display:none!important}
.v{--p:var(--bookra-primary,var(--bk-p,#4f46e5));--op:var(--bookra-on-primary,var(--bk-op,#fff));--a:var(--bookra-accent,var(--bk-a,#f59e0b));--r:var(--bookra-radius,var(--bk-r,8px));--f:var(--bookra-font,var(--bk-f,system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif));${LIGHT};font:15px/1.45 var(--f);color:var(--fg);text-align:left;-webkit-font-smoothing:antialiased;box-sizing:border-box}
@media (prefers-color-scheme:dark){:host(:not([data-theme=light])) .v{${DARK}}}
:host([data-theme=dark]) .v{${DARK}}
:where(.v *,.v *::before,.v *::after){box-sizing:border-box;font:inherit;color:inherit;letter-spacing:normal;text-transform:none}
.card{background:var(--bg);border:1px solid var(--bd);border-radius:calc(var(--r) + 4px);padding:20px;container-type:inline-size}
.inline{min-height:560px}
.page{max-width:820px;margin:0 auto;min-height:100vh;border-width:0 1px;border-radius:0;padding:24px 20px}
h1,h2,h3{margin:0 0 12px;font-weight:650;line-height:1.25}
h1{font-size:22px}h2{font-size:18px}h3{font-size:15px;margin-bottom:8px}
h2:focus,h3:focus,.dlg:focus{outline:none}
p{margin:0 0 10px}
a{color:var(--pt)}
button{cursor:pointer;border:0;background:none;padding:0;margin:0;text-align:inherit}
button:focus-visible,a:focus-visible,input:focus-visible,select:focus-visible,[tabindex]:focus-visible{outline:2px solid var(--pt);outline-offset:2px}
.btn{display:inline-flex;align-items:center;justify-content:center;gap:6px;min-height:44px;padding:8px 18px;border-radius:var(--r);font-weight:600;border:1px solid var(--bd);background:var(--bg);text-decoration:none;text-align:center}
.btn:hover{border-color:var(--p)}
.pri{background:var(--p);color:var(--op);border-color:var(--p)}
.pri:hover{filter:brightness(1.08)}
.btn[disabled]{opacity:.65;cursor:progress}
.wide{width:100%}
.top{display:flex;align-items:center;gap:8px;margin-bottom:14px;min-height:36px}
.top h2{margin:0;flex:1}
.back,.nav{width:36px;height:36px;border-radius:50%;display:grid;place-items:center;font-size:20px}
.back{flex:none}
.back:hover,.nav:hover:not([disabled]){background:var(--sf)}
.brand{display:flex;align-items:center;gap:12px;margin-bottom:18px}
.brand img{height:36px;width:auto;border-radius:6px}
.brand h1{margin:0}
.list{list-style:none;margin:0;padding:0;display:grid;gap:10px}
.svc{width:100%;display:flex;justify-content:space-between;align-items:center;gap:12px;padding:14px 16px;border:1px solid var(--bd);border-radius:var(--r);background:var(--bg)}
.svc:hover{border-color:var(--p);box-shadow:0 0 0 1px var(--p)}
.svc b{font-weight:650;display:block}
.mu{color:var(--mu);font-size:13px}
.price{font-weight:650;white-space:nowrap}
.row{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:14px}
.fld{display:flex;flex-direction:column;gap:4px;flex:1 1 180px;min-width:0;margin-bottom:12px}
.row .fld{margin:0}
label{font-size:13px;font-weight:600}
.chk{display:flex;gap:8px;align-items:center;font-weight:400;margin-bottom:14px}
.chk input{width:18px;height:18px;flex:none}
select,input{height:42px;padding:0 10px;border:1px solid var(--bd);border-radius:var(--r);background:var(--bg);color:var(--fg);width:100%;min-width:0}
input[aria-invalid=true]{border-color:var(--err);box-shadow:0 0 0 1px var(--err)}
.err{color:var(--err);font-size:13px;margin:2px 0 0}
.time{display:grid;gap:18px}
@container (min-width:580px){.time{grid-template-columns:minmax(0,400px) minmax(0,1fr)}}
.cal-h{display:flex;align-items:center;justify-content:space-between;margin-bottom:6px}
.cal-h h3{margin:0}
.nav[disabled]{opacity:.3;cursor:default}
table{border-collapse:collapse;width:100%;table-layout:fixed}
th{font-size:12px;font-weight:600;color:var(--mu);padding:4px 0;text-align:center}
td{padding:2px;text-align:center}
abbr{text-decoration:none}
.day{width:100%;max-width:42px;height:40px;border-radius:var(--r);display:inline-grid;place-items:center;position:relative;color:var(--mu)}
.day.av{color:var(--fg);font-weight:700;background:color-mix(in srgb,var(--p) 10%,var(--bg))}
.day.av::after{content:"";position:absolute;bottom:4px;left:50%;margin-left:-2px;width:4px;height:4px;border-radius:50%;background:var(--a)}
.day.av:hover{box-shadow:inset 0 0 0 1px var(--p)}
.day.td{text-decoration:underline;text-underline-offset:3px}
.day.sel{background:var(--p);color:var(--op)}
.day.sel::after{background:var(--op)}
.day[aria-disabled=true]{cursor:default}
[aria-busy=true] .day{opacity:.5}
.slots h3{min-height:20px}
.slots ul{list-style:none;margin:0;padding:2px;display:grid;grid-template-columns:repeat(auto-fill,minmax(86px,1fr));gap:8px;max-height:312px;overflow:auto}
.slot{width:100%;height:42px;border:1px solid var(--p);color:var(--pt);border-radius:var(--r);font-weight:650;text-align:center;background:var(--bg)}
.slot:hover,.slot[aria-pressed=true]{background:var(--p);color:var(--op)}
.note{padding:10px 12px;border-radius:var(--r);border:1px solid var(--a);background:color-mix(in srgb,var(--a) 14%,var(--bg));margin-bottom:14px}
.bad{border-color:var(--err);background:color-mix(in srgb,var(--err) 10%,var(--bg))}
.sum{padding:12px 14px;border-radius:var(--r);background:var(--sf);margin-bottom:16px}
.sum b{display:block}
.acts{display:flex;flex-wrap:wrap;gap:8px;margin-top:14px}
.ok{width:48px;height:48px;border-radius:50%;display:grid;place-items:center;background:var(--p);color:var(--op);font-size:24px;margin-bottom:10px}
.timer{font-size:28px;font-weight:700;font-variant-numeric:tabular-nums}
dl{display:grid;grid-template-columns:max-content 1fr;gap:6px 14px;margin:0 0 14px}
dt{color:var(--mu)}dd{margin:0;font-weight:600}
.sr{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;margin:-1px}
.ov{position:fixed;inset:0;z-index:2147483000;background:rgba(17,24,39,.6);display:flex;align-items:center;justify-content:center;padding:16px;overscroll-behavior:contain}
.dlg{position:relative;width:100%;max-width:760px;max-height:calc(100vh - 32px);overflow:auto;box-shadow:0 20px 50px rgba(0,0,0,.35)}
.x{position:absolute;top:12px;right:12px;width:40px;height:40px;border-radius:50%;font-size:24px;line-height:1;display:grid;place-items:center}
.x:hover{background:var(--sf)}
.dlg .top,.dlg .brand{padding-right:44px}
.fab{position:fixed;right:20px;bottom:20px;z-index:2147482000;border-radius:999px;padding:0 22px;min-height:50px;box-shadow:0 8px 24px rgba(0,0,0,.25)}
@media (max-width:480px){.ov{padding:0;align-items:stretch}.dlg{max-height:none;height:100%;border-radius:0;border:0}.card{padding:16px}.page{padding:16px 14px}}
`;
