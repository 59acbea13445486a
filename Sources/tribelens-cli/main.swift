print("tribelens-cli")
