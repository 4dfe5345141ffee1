"""Denials exchanged between member states (Art. 16, through the system of Art. 23(6)): the
register of valid denials, their three-yearly review, the examination of essentially identical
transactions with consultation of the issuing member state, and the notifications to send."""
