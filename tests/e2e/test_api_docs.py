"""The API documentation renders in a real browser under our Content-Security-Policy."""

from urllib.parse import urlsplit


def test_api_docs_render_under_the_csp_from_our_own_host(page, live_server):
    violations, foreign, errors = [], [], []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    host = urlsplit(live_server.url).netloc
    page.on("request", lambda r: foreign.append(r.url) if urlsplit(r.url).netloc not in (host, "") else None)

    response = page.goto("/api/docs/")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # Swagger UI has loaded the schema and lists the operations.
    page.get_by_text("SMARTCity Gera – Open Data API").first.wait_for()
    page.locator(".opblock-summary-path", has_text="/api/v1/ideas/").first.wait_for()

    assert violations == []
    assert errors == []
    assert [u for u in foreign if not u.startswith(("data:", "blob:"))] == []


def test_an_operation_can_be_tried_from_the_docs(page, live_server):
    page.goto("/api/docs/#/ideas/v1_ideas_list")
    operation = page.locator("#operations-ideas-v1_ideas_list")
    operation.locator(".opblock-summary").first.wait_for()
    if not operation.locator(".try-out").is_visible():
        operation.locator(".opblock-summary").first.click()
    page.get_by_role("button", name="Execute").click()
    page.locator(".live-responses-table .response-col_status", has_text="200").first.wait_for()
