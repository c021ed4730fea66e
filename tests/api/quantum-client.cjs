// The Quantum Payouts API's own Node.js integration example, verbatim, so tests can
// prove a client written for that API works against Payee unchanged.
const axios = require('axios');

class PayoutsAPI {
  constructor(apiToken, baseUrl = 'https://payouts-dev.quantumlabs.ru/api/v1') {
    this.apiToken = apiToken;
    this.baseUrl = baseUrl;
    this.headers = {
      'Content-Type': 'application/json; charset=UTF-8',
      Accept: 'application/json; version=1.0',
      Authorization: `Bearer ${apiToken}`,
    };
  }

  async createPayout(orderNumber, amount, returnUrl, description = null, type = 'card') {
    const data = { orderNumber, amount, urls: { returnUrl }, type };
    if (description) data.description = description;
    try {
      const response = await axios.post(`${this.baseUrl}/createPayout`, data, { headers: this.headers });
      return response.data;
    } catch (error) {
      throw new Error(`API Error: ${error.response?.data || error.message}`);
    }
  }
}

module.exports = { PayoutsAPI };
