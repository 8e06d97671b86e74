"""``followup serve``: the app in a browser (the server itself is ``tui_followup/serve``)."""

from __future__ import annotations

from .common import UsageError


def run_serve(args) -> int:
    from ..serve import ServeOptions, bind_problem, serve
    from ..serve.server import new_token

    words = args.words
    conf = args.settings.serve
    problem = bind_problem(args.host, args.public_url, words)
    if problem is not None:
        raise UsageError(problem)
    user = conf.user if args.user is None else args.user.strip()
    if args.user is not None and (not user or len(user) > 200 or not user.isprintable()):
        raise UsageError(words.t("serve.bad_user"))
    options = ServeOptions(log_path=args.log_path, host=args.host, port=args.port, public_url=args.public_url,
                           token=conf.token or new_token(), user=user, trust_proxy_user=conf.trust_proxy_user,
                           max_sessions=conf.max_sessions, idle_seconds=conf.idle_minutes * 60.0)
    try:
        serve(options, words)
    except OSError as exc:
        raise UsageError(words.t("serve.cannot_bind", host=args.host, port=args.port, detail=exc.strerror or exc)) from None
    return 0
