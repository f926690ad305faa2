import subprocess, sys, time, urllib.request
from playwright.sync_api import sync_playwright
sys.path.insert(0, "tests")
from conftest import CHROMIUM, CHROMIUM_ARGS
p = subprocess.Popen([sys.executable,"-m","streamlit","run","dashboard/app.py","--server.port","8599","--server.address","127.0.0.1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(100):
        try:
            urllib.request.urlopen("http://127.0.0.1:8599/_stcore/health").read(); break
        except OSError: time.sleep(0.1)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pg = b.new_page(viewport={"width":1280,"height":1600})
        pg.goto("http://127.0.0.1:8599"); pg.get_by_text("No red flags raised").wait_for(timeout=30000)
        pg.get_by_role("tab", name="Red flags").click(); pg.wait_for_timeout(500)
        el = pg.get_by_test_id("stButtonGroup").first
        print(el.evaluate("e => e.parentElement.parentElement.outerHTML")[:3000])
        pg.screenshot(path="/tmp/s1.png")
        b.close()
finally:
    p.terminate(); p.wait()
