"""A one-function package the Python image tests install from a wheel."""


def hello(uid):
    return f"hello from uid={uid}\n"
