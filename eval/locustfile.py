"""Locust user for `python -m eval.load`: a realistic mix of searches, filtered searches and asks.

Loopback only: the host is whatever `eval.load` started (127.0.0.1).
"""

from __future__ import annotations

import random

from locust import HttpUser, between, task

QUERIES = [
    "Norco 10/325mg #120",
    "chronic opioids without functional improvement",
    "MRI lumbar spine no red flags",
    "EMG/NCV bilateral lower extremities",
    "physical therapy after shoulder arthroscopy",
    "acupuncture 6 sessions",
    "cyclobenzaprine long term use",
    "omeprazole no GI risk factors",
    "lumbar epidural steroid injection radiculopathy",
    "topical compound cream flurbiprofen",
]
QUESTIONS = [
    "was chronic Norco without functional documentation upheld?",
    "does IMR overturn denials of physical therapy after surgery?",
    "what do reviewers require before approving an epidural steroid injection?",
]


class Reviewer(HttpUser):
    wait_time = between(0.05, 0.2)

    @task(6)
    def search(self) -> None:
        self.client.get(
            "/api/search", params={"q": random.choice(QUERIES), "k": 10}, name="/api/search"
        )

    @task(2)
    def filtered(self) -> None:
        params = {"q": random.choice(QUERIES), "outcome": random.choice(["upheld", "overturned"])}
        self.client.get("/api/search", params=params, name="/api/search?outcome")

    @task(1)
    def ask(self) -> None:
        self.client.post("/api/ask", json={"question": random.choice(QUESTIONS)}, name="/api/ask")
