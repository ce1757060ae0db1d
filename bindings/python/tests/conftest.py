"""Fixtures: the scripted OpenAI-compatible server on 127.0.0.1 (llmnas_support.scripted_server)."""

import os

import pytest
from llmnas_support import ROOT
from llmnas_support.scripted_server import ScriptedServer


@pytest.fixture(scope="session")
def server():
    s = ScriptedServer()
    yield s
    s.stop()


@pytest.fixture
def data_dir():
    return os.path.join(ROOT, "data", "llmpp-wmt")
