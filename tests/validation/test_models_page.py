"""The web app's models page: accuracy with intervals, draw a validation sample, code it, see the
corrected figures update, train an in-domain model and see its scores before and after."""

from __future__ import annotations

from tests.web.support import csrf_of, make_client


def test_models_page_loop(web_project):
    from pantau.models.codebook import SHIPPED

    (web_project.root / "codebook.toml").write_text(SHIPPED.read_text(encoding="utf-8"),
                                                    encoding="utf-8")
    client, store = make_client(web_project)
    try:
        page = client.get("/models?lang=en")
        assert page.status_code == 200
        assert "sentiment" in page.text and "not validated" in page.text
        token = csrf_of(client.get("/coding").text)
        client.post("/coding/coder", data={"coder": "ana", "csrf": token})
        drawn = client.post("/models/validate", data={"task": "sentiment", "coders": "ana",
                                                      "ci_width": "0.5", "csrf": token})
        assert drawn.status_code == 303
        sample = int(drawn.headers["location"].rsplit("/", 1)[1])
        screen = client.get(f"/coding/samples/{sample}/code?lang=en")
        assert "code blind" in screen.text
        # code every item: the fixture's questions are neutral, not the model's 'negative'
        for _ in range(60):
            screen = client.get(f"/coding/samples/{sample}/code")
            if "/code/" not in screen.text:
                break
            position = screen.text.split(f"/coding/samples/{sample}/code/")[1].split('"')[0]
            text = screen.text.split('id="item-text">')[1].split("<")[0]
            value = ("positive" if text.startswith("mantap") else "negative"
                     if text.startswith("dasar") else "neutral")
            saved = client.post(f"/coding/samples/{sample}/code/{position}",
                                data={"v.sentiment": value, "action": "save", "csrf": token})
            assert saved.status_code == 303
        assert client.post("/models/refresh", data={"csrf": token}).status_code == 303
        after = client.get("/models?lang=en").text
        section = after.split('id="model-sentiment"')[1].split("</section>")[0]
        assert "not validated" not in section and "neutral" in section
        trained = client.post("/models/train", data={"task": "sentiment", "accept": "no",
                                                     "csrf": token})
        assert trained.status_code == 303
        shown = client.get(trained.headers["location"] + "&lang=en").text
        assert "Shipped model on the codes" in shown and "Adapted model" in shown
    finally:
        client.close()
        store.close()
