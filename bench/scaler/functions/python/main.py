# Hello handler for the scaler benchmark: woken from zero again and again.
def handler(context, event):
    return "hello"
