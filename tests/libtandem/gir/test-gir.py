#!/usr/bin/python3
# test-gir.py: libtandem through its typelib, from Python (PyGObject), the
# way an AI agent written in Python uses it. Run under tandem-test-env, which
# provides TANDEM_URL and TANDEM_ANON_KEY of a throwaway tandem-server.
#
# Two clients join one channel; the first broadcasts (with ack) and the
# second receives the payload through the broadcast::EVENT signal; then the
# first tracks its presence and the second sees it in the channel's presence
# list model. Prints TAP.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import sys

import gi
gi.require_version('GLib', '2.0')
gi.require_version('Json', '1.0')
gi.require_version('Tandem', '1.0')
from gi.repository import GLib, Json, Tandem  # noqa: E402

TIMEOUT_S = 20
results = []


def check(name, ok, detail=''):
    results.append(ok)
    print(('ok' if ok else 'not ok') + ' %d - %s' % (len(results), name))
    if not ok and detail:
        for line in str(detail).splitlines():
            print('# ' + line)


def wait_until(cond):
    """Iterates the main context until cond() holds or TIMEOUT_S pass."""
    context = GLib.MainContext.default()
    deadline = GLib.get_monotonic_time() + TIMEOUT_S * 1000000
    while not cond():
        if GLib.get_monotonic_time() > deadline:
            return False
        context.iteration(False)
        GLib.usleep(1000)
    return True


def main():
    url = os.environ['TANDEM_URL']
    key = os.environ['TANDEM_ANON_KEY']
    print('1..7')

    try:
        Tandem.Client.new('ftp://nowhere', key)
        check('a bad URL is refused with a GError', False)
    except GLib.Error as error:
        check('a bad URL is refused with a GError',
              error.matches(Tandem.client_error_quark(), Tandem.ClientError.INVALID_URL), error.message)

    sender = Tandem.Client.new(url, key)
    receiver = Tandem.Client.new(url, key)

    options = Tandem.ChannelOptions.new()
    options.set_broadcast_ack(True)
    options.set_presence_key('python-agent')
    out_channel = sender.channel('gir-room', options)
    in_channel = receiver.channel('gir-room', None)

    states = {}
    received = []

    def on_state(channel, state, error, who):
        states[who] = state

    def on_broadcast(channel, event, payload):
        received.append((event, Json.to_string(payload, False)))

    out_channel.connect('subscribe-state', on_state, 'sender')
    in_channel.connect('subscribe-state', on_state, 'receiver')
    in_channel.connect('broadcast::hello', on_broadcast)
    out_channel.subscribe()
    in_channel.subscribe()
    ok = wait_until(lambda: states.get('sender') == Tandem.SubscribeState.SUBSCRIBED and
                    states.get('receiver') == Tandem.SubscribeState.SUBSCRIBED)
    check('both clients subscribe', ok, states)
    check('the channel reports connected', out_channel.get_status() == Tandem.Status.CONNECTED,
          out_channel.get_status())

    sent = []

    def on_sent(channel, result):
        try:
            sent.append(channel.send_broadcast_finish(result))
        except GLib.Error as error:
            sent.append(error.message)

    payload = Json.from_string('{"text": "hello from Python", "n": 42}')
    out_channel.send_broadcast_async('hello', payload, None, on_sent)
    ok = wait_until(lambda: sent and received)
    check('the broadcast is acknowledged', sent == [True], sent)
    check('the other client receives it', received == [('hello', '{"text":"hello from Python","n":42}')],
          received)

    tracked = []

    def on_tracked(channel, result):
        try:
            tracked.append(channel.track_finish(result))
        except GLib.Error as error:
            tracked.append(error.message)

    state = Json.Object()
    state.set_string_member('name', 'Agent Smith')
    out_channel.track_async(state, None, on_tracked)
    presence = in_channel.get_presence()
    ok = wait_until(lambda: tracked and presence.lookup('python-agent') is not None)
    entry = presence.lookup('python-agent')
    check('the other client sees the presence', ok and entry.get_string('name') == 'Agent Smith',
          tracked)
    check('the presence list model holds one entry',
          presence.get_n_items() == 1 and presence.get_item(0).get_key() == 'python-agent',
          presence.get_n_items())

    sender.remove_all_channels()
    receiver.remove_all_channels()
    return 0 if all(results) else 1


if __name__ == '__main__':
    sys.exit(main())
