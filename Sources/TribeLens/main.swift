// Placeholder until the window lands.
print("tribelens")
