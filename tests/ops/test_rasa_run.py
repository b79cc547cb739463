"""How `ops.rasa_run` hands the API token to Rasa's own command line."""

from __future__ import annotations

import pytest

from ops.rasa_run import rasa_argv


@pytest.mark.parametrize("token", ["-daJBNL0zjHvv3CYcIqmfIv9rPTiW_jK0Mz3lESaHfs",
                                   "plain-token-0123456789abcdef", "--looks-like-an-option-x"])
def test_any_token_reaches_rasa_whole_even_one_that_begins_with_a_dash(token):
    from rasa.__main__ import create_argument_parser

    argv = rasa_argv(["run", "--enable-api", "--port", "5005"], token)
    parsed = create_argument_parser().parse_args(argv[1:])
    assert parsed.auth_token == token and parsed.enable_api and parsed.port == 5005
